// avis-stream live dashboard: stream list, the selected stream's latest frame with its masks drawn from the COCO
// RLE, its sounding count, and the event feed over server-sent events. No build step, no dependencies.
(function () {
  'use strict';
  const API = '/dashboard/api';
  const FRAME_POLL_MS = 500;
  const STREAMS_POLL_MS = 2000;
  const MAX_EVENTS = 200;

  const params = new URLSearchParams(window.location.search);
  let selected = params.get('stream');
  let lastKey = null;
  const image = new Image();

  /** Track colour: the annotated video's palette (golden-ratio hues, saturation 0.8, value 1). */
  function trackColour(id) {
    const hue = (0.11 + Math.abs(id) * 0.6180339887498949) % 1.0;
    const h = hue * 6;
    const sector = Math.floor(h) % 6;
    const f = h - Math.floor(h);
    const v = 1, s = 0.8;
    const p = v * (1 - s), q = v * (1 - s * f), t = v * (1 - s * (1 - f));
    const rgb = [[v, t, p], [q, v, p], [p, v, t], [p, q, v], [t, p, v], [v, p, q]][sector];
    return rgb.map(c => Math.round(Math.max(0, Math.min(1, c)) * 255));
  }

  function css(rgb) {
    return 'rgb(' + rgb[0] + ',' + rgb[1] + ',' + rgb[2] + ')';
  }

  function setStatus(text) {
    document.getElementById('status').textContent = text;
  }

  async function refreshStreams() {
    try {
      const r = await fetch(API + '/streams', { cache: 'no-store' });
      const rows = await r.json();
      const list = document.getElementById('streams');
      list.replaceChildren();
      for (const row of rows) {
        const li = document.createElement('li');
        li.dataset.stream = row.streamId;
        li.dataset.sounding = row.soundingCount;
        li.className = row.streamId === selected ? 'selected' : '';
        const name = document.createElement('span');
        name.textContent = row.streamId;
        const count = document.createElement('span');
        count.className = 'count';
        count.textContent = row.soundingCount > 0 ? '♪ ' + row.soundingCount : '';
        li.append(name, count);
        li.onclick = () => select(row.streamId);
        list.append(li);
      }
      if (!selected && rows.length > 0) {
        select(rows[0].streamId);
      }
      setStatus(rows.length + ' stream' + (rows.length === 1 ? '' : 's'));
    } catch (e) {
      setStatus('stream list unavailable');
    }
  }

  function select(streamId) {
    selected = streamId;
    lastKey = null;
    const url = new URL(window.location.href);
    url.searchParams.set('stream', streamId);
    window.history.replaceState(null, '', url);
    for (const li of document.querySelectorAll('#streams li')) {
      li.className = li.dataset.stream === streamId ? 'selected' : '';
    }
    refreshFrame();
  }

  async function refreshFrame() {
    if (!selected) {
      return;
    }
    try {
      const r = await fetch(API + '/streams/' + encodeURIComponent(selected) + '/latest', { cache: 'no-store' });
      if (!r.ok) {
        document.getElementById('frame-info').textContent = 'no frame yet (' + r.status + ')';
        return;
      }
      const latest = await r.json();
      const key = latest.masks.streamId + '/' + latest.masks.seq;
      if (key === lastKey) {
        return;
      }
      lastKey = key;
      await new Promise((resolve, reject) => {
        image.onload = resolve;
        image.onerror = reject;
        image.src = latest.image;
      });
      draw(latest.masks);
    } catch (e) {
      document.getElementById('frame-info').textContent = 'frame unavailable';
    }
  }

  /** The frame scaled to the masks' size, then each mask tinted in its track colour, outlined, and labelled. */
  function draw(masks) {
    const canvas = document.getElementById('frame');
    const w = masks.width, h = masks.height;
    canvas.width = w;
    canvas.height = h;
    const ctx = canvas.getContext('2d');
    ctx.drawImage(image, 0, 0, w, h);
    const pixels = ctx.getImageData(0, 0, w, h);
    const data = pixels.data;
    const list = document.getElementById('instances');
    list.replaceChildren();
    const labels = [];
    const ordered = masks.instances.slice().sort((a, b) => (a.sounding - b.sounding) || (a.trackId - b.trackId));
    for (const inst of ordered) {
      const decoded = AvisRle.decode(inst.mask.counts, inst.mask.size[0], inst.mask.size[1]);
      const rgb = trackColour(inst.trackId);
      const alpha = inst.sounding ? 0.55 : 0.25;
      const m = decoded.mask;
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          if (!m[y * w + x]) {
            continue;
          }
          const edge = x === 0 || y === 0 || x === w - 1 || y === h - 1 || !m[y * w + x - 1] || !m[y * w + x + 1]
            || !m[(y - 1) * w + x] || !m[(y + 1) * w + x];
          const i = (y * w + x) * 4;
          const a = edge ? 1 : alpha;
          data[i] = Math.round((1 - a) * data[i] + a * rgb[0]);
          data[i + 1] = Math.round((1 - a) * data[i + 1] + a * rgb[1]);
          data[i + 2] = Math.round((1 - a) * data[i + 2] + a * rgb[2]);
        }
      }
      const text = '#' + inst.trackId + ' ' + inst.className + ' ' + inst.score.toFixed(2);
      labels.push({ inst: inst, text: text, rgb: rgb });
      const li = document.createElement('li');
      li.dataset.track = inst.trackId;
      li.dataset.area = decoded.area;
      li.dataset.sounding = inst.sounding;
      li.className = inst.sounding ? 'sounding' : '';
      li.style.borderColor = css(rgb);
      li.style.background = inst.sounding ? css(rgb) : 'transparent';
      li.style.color = inst.sounding ? '#111' : css(rgb);
      li.textContent = text + (inst.sounding ? ' ♪' : '');
      list.append(li);
    }
    ctx.putImageData(pixels, 0, 0);
    drawLabels(ctx, labels, w, h);
    const sounding = masks.instances.filter(i => i.sounding).length;
    const badge = document.getElementById('sounding');
    badge.textContent = sounding + ' sounding';
    badge.dataset.count = sounding;
    badge.className = sounding > 0 ? 'badge on' : 'badge';
    canvas.dataset.seq = masks.seq;
    canvas.dataset.instances = masks.instances.length;
    document.getElementById('stream-title').textContent = masks.streamId;
    document.getElementById('frame-info').textContent = 'frame ' + masks.seq + ' · t=' + (masks.ptsMicros / 1e6).toFixed(2)
      + 's · ' + (masks.inferred ? 'inferred' : 'from ' + masks.sourceSeq) + ' · audio ' + masks.audio;
  }

  /** Labels above their box (else inside its top), inside the frame, stacked down when they would overlap. */
  function drawLabels(ctx, labels, w, h) {
    const size = Math.max(11, Math.round(h / 32));
    ctx.font = '600 ' + size + 'px system-ui, sans-serif';
    const placed = [];
    const order = labels.slice().sort((a, b) => (b.inst.sounding - a.inst.sounding) || (b.inst.score - a.inst.score));
    for (const l of order) {
      const bw = Math.min(w, Math.ceil(ctx.measureText(l.text).width) + 8);
      const bh = size + 6;
      const box = l.inst.bbox;
      let x = Math.max(0, Math.min(box[0], w - bw));
      let y = box[1] - bh >= 0 ? box[1] - bh : Math.min(box[1], h - bh);
      const overlaps = (yy) => placed.some(p => x < p.x + p.w && p.x < x + bw && yy < p.y + p.h && p.y < yy + bh);
      while (overlaps(y) && y + bh < h) {
        y += bh;
      }
      placed.push({ x: x, y: y, w: bw, h: bh });
      ctx.fillStyle = l.inst.sounding ? css(l.rgb) : 'rgba(20,20,20,0.75)';
      ctx.fillRect(x, y, bw, bh);
      ctx.fillStyle = l.inst.sounding ? '#111' : css(l.rgb);
      ctx.fillText(l.text, x + 4, y + size);
    }
  }

  function connectEvents() {
    const source = new EventSource(API + '/events');
    source.addEventListener('event', (message) => {
      const e = JSON.parse(message.data);
      const li = document.createElement('li');
      li.className = e.type;
      li.dataset.type = e.type;
      li.dataset.stream = e.streamId;
      const what = e.type === 'count_change'
        ? 'sounding ' + e.previousCount + ' → ' + e.soundingCount
        : e.type + ' #' + e.trackId + ' ' + (e.className || '');
      li.textContent = e.streamId + ' · frame ' + e.seq + ' · ' + what;
      const list = document.getElementById('events');
      list.prepend(li);
      while (list.children.length > MAX_EVENTS) {
        list.lastChild.remove();
      }
    });
    source.onerror = () => setStatus('event feed reconnecting…');
  }

  refreshStreams();
  connectEvents();
  setInterval(refreshStreams, STREAMS_POLL_MS);
  setInterval(refreshFrame, FRAME_POLL_MS);
})();
