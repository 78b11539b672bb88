// COCO RLE for the dashboard: pycocotools' compressed counts string -> run lengths -> a binary mask.
// Runs alternate 0s and 1s, starting with 0s, over the pixels in column-major order (x outer, y inner).
(function (global) {
  'use strict';

  /** Run lengths of a compressed counts string (6 bits a character, 5 of payload; deltas from the 2nd run on). */
  function counts(s) {
    const out = [];
    let p = 0;
    while (p < s.length) {
      let value = 0;
      let shift = 0;
      let more = true;
      while (more) {
        const c = s.charCodeAt(p++) - 48;
        value |= (c & 0x1f) << shift;
        more = (c & 0x20) !== 0;
        shift += 5;
        if (!more && (c & 0x10) !== 0) {
          value |= -1 << shift; // sign-extend the last 5-bit group
        }
      }
      if (out.length > 2) {
        value += out[out.length - 2];
      }
      out.push(value);
    }
    return out;
  }

  /** The mask as a row-major Uint8Array of height*width (1 = object), and its area. */
  function decode(countsString, height, width) {
    const runs = counts(countsString);
    const mask = new Uint8Array(height * width);
    let pos = 0;
    let area = 0;
    for (let r = 0; r < runs.length; r++) {
      const n = runs[r];
      if (r % 2 === 1) {
        for (let k = pos; k < pos + n; k++) {
          const x = Math.floor(k / height);
          const y = k - x * height;
          mask[y * width + x] = 1;
        }
        area += n;
      }
      pos += n;
    }
    return { mask: mask, area: area };
  }

  global.AvisRle = { counts: counts, decode: decode };
})(typeof window !== 'undefined' ? window : globalThis);
