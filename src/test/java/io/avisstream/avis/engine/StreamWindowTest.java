package io.avisstream.avis.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StreamWindowTest {

    @Test
    void shouldKeepOnlyTheLastWindowMinusOneFrames() {
        // Given W = 3
        StreamWindow window = StreamWindow.empty();

        // When five frames pass
        for (long seq = 1; seq <= 5; seq++) {
            window = window.append(features(seq, seq), 3);
        }

        // Then
        assertThat(window.frames()).extracting(PastFrame::seq).containsExactly(4L, 5L);
    }

    @Test
    void shouldRequestTheVideoStageOverTheWindowThenTheCurrentFrame() {
        // Given
        StreamWindow window = StreamWindow.empty().append(features(1, 0.5f), 6);
        FrameFeatures current = features(2, 2f);

        // When
        WindowRequest request = window.request(current);

        // Then
        assertThat(request.seq()).isEqualTo(2);
        assertThat(request.pastFrameQueries()).singleElement().satisfies(q -> assertThat(q).containsExactly(0.5f, 0.5f));
        assertThat(request.pastAudioFeatures()).singleElement().satisfies(a -> assertThat(a).containsExactly(1f));
        assertThat(request.current()).isSameAs(current);
    }

    private static FrameFeatures features(long seq, float query) {
        return new FrameFeatures("s", seq, new float[] { query, query }, new float[] { 1f }, new float[0],
                new MaskFeatures(1, 1, 1, new float[1]), new FrameGeometry(1, 1, 1, 1, 1, 1));
    }
}
