package io.avisstream.avis.demo;

import java.util.HashMap;
import java.util.Map;

/**
 * A built-in 5x7 pixel font for frame labels. Drawing text through AWT would need fontconfig and system fonts
 * in the runtime image; a bitmap font keeps the renderer dependency-free and its output identical everywhere.
 * Lower-case letters render as capitals; characters without a glyph render as a blank cell.
 */
final class BitmapFont {

    static final int GLYPH_WIDTH = 5;
    static final int GLYPH_HEIGHT = 7;
    /** Horizontal advance per character in font pixels (glyph + 1 column of spacing). */
    static final int ADVANCE = GLYPH_WIDTH + 1;

    private static final Map<Character, boolean[]> GLYPHS = new HashMap<>();

    static {
        glyph('A', " ### ", "#   #", "#   #", "#####", "#   #", "#   #", "#   #");
        glyph('B', "#### ", "#   #", "#   #", "#### ", "#   #", "#   #", "#### ");
        glyph('C', " ### ", "#   #", "#    ", "#    ", "#    ", "#   #", " ### ");
        glyph('D', "#### ", "#   #", "#   #", "#   #", "#   #", "#   #", "#### ");
        glyph('E', "#####", "#    ", "#    ", "#### ", "#    ", "#    ", "#####");
        glyph('F', "#####", "#    ", "#    ", "#### ", "#    ", "#    ", "#    ");
        glyph('G', " ### ", "#   #", "#    ", "# ###", "#   #", "#   #", " ####");
        glyph('H', "#   #", "#   #", "#   #", "#####", "#   #", "#   #", "#   #");
        glyph('I', " ### ", "  #  ", "  #  ", "  #  ", "  #  ", "  #  ", " ### ");
        glyph('J', "  ###", "   # ", "   # ", "   # ", "   # ", "#  # ", " ##  ");
        glyph('K', "#   #", "#  # ", "# #  ", "##   ", "# #  ", "#  # ", "#   #");
        glyph('L', "#    ", "#    ", "#    ", "#    ", "#    ", "#    ", "#####");
        glyph('M', "#   #", "## ##", "# # #", "# # #", "#   #", "#   #", "#   #");
        glyph('N', "#   #", "#   #", "##  #", "# # #", "#  ##", "#   #", "#   #");
        glyph('O', " ### ", "#   #", "#   #", "#   #", "#   #", "#   #", " ### ");
        glyph('P', "#### ", "#   #", "#   #", "#### ", "#    ", "#    ", "#    ");
        glyph('Q', " ### ", "#   #", "#   #", "#   #", "# # #", "#  # ", " ## #");
        glyph('R', "#### ", "#   #", "#   #", "#### ", "# #  ", "#  # ", "#   #");
        glyph('S', " ####", "#    ", "#    ", " ### ", "    #", "    #", "#### ");
        glyph('T', "#####", "  #  ", "  #  ", "  #  ", "  #  ", "  #  ", "  #  ");
        glyph('U', "#   #", "#   #", "#   #", "#   #", "#   #", "#   #", " ### ");
        glyph('V', "#   #", "#   #", "#   #", "#   #", "#   #", " # # ", "  #  ");
        glyph('W', "#   #", "#   #", "#   #", "# # #", "# # #", "# # #", " # # ");
        glyph('X', "#   #", "#   #", " # # ", "  #  ", " # # ", "#   #", "#   #");
        glyph('Y', "#   #", "#   #", " # # ", "  #  ", "  #  ", "  #  ", "  #  ");
        glyph('Z', "#####", "    #", "   # ", "  #  ", " #   ", "#    ", "#####");
        glyph('0', " ### ", "#   #", "#  ##", "# # #", "##  #", "#   #", " ### ");
        glyph('1', "  #  ", " ##  ", "  #  ", "  #  ", "  #  ", "  #  ", " ### ");
        glyph('2', " ### ", "#   #", "    #", "   # ", "  #  ", " #   ", "#####");
        glyph('3', "#####", "   # ", "  #  ", "   # ", "    #", "#   #", " ### ");
        glyph('4', "   # ", "  ## ", " # # ", "#  # ", "#####", "   # ", "   # ");
        glyph('5', "#####", "#    ", "#### ", "    #", "    #", "#   #", " ### ");
        glyph('6', "  ## ", " #   ", "#    ", "#### ", "#   #", "#   #", " ### ");
        glyph('7', "#####", "    #", "   # ", "  #  ", " #   ", " #   ", " #   ");
        glyph('8', " ### ", "#   #", "#   #", " ### ", "#   #", "#   #", " ### ");
        glyph('9', " ### ", "#   #", "#   #", " ####", "    #", "   # ", " ##  ");
        glyph('#', " # # ", " # # ", "#####", " # # ", "#####", " # # ", " # # ");
        glyph('.', "     ", "     ", "     ", "     ", "     ", " ##  ", " ##  ");
        glyph(',', "     ", "     ", "     ", "     ", " ##  ", "  #  ", " #   ");
        glyph(':', "     ", " ##  ", " ##  ", "     ", " ##  ", " ##  ", "     ");
        glyph('-', "     ", "     ", "     ", "#####", "     ", "     ", "     ");
        glyph('_', "     ", "     ", "     ", "     ", "     ", "     ", "#####");
        glyph('/', "     ", "    #", "   # ", "  #  ", " #   ", "#    ", "     ");
        glyph('=', "     ", "     ", "#####", "     ", "#####", "     ", "     ");
        glyph('+', "     ", "  #  ", "  #  ", "#####", "  #  ", "  #  ", "     ");
        glyph('%', "##   ", "##  #", "   # ", "  #  ", " #   ", "#  ##", "   ##");
        glyph('(', "   # ", "  #  ", " #   ", " #   ", " #   ", "  #  ", "   # ");
        glyph(')', " #   ", "  #  ", "   # ", "   # ", "   # ", "  #  ", " #   ");
        glyph('*', "     ", "  #  ", "# # #", " ### ", "# # #", "  #  ", "     ");
    }

    private BitmapFont() {
    }

    private static void glyph(char c, String... rows) {
        if (rows.length != GLYPH_HEIGHT) {
            throw new IllegalStateException("glyph " + c + " needs " + GLYPH_HEIGHT + " rows");
        }
        boolean[] bits = new boolean[GLYPH_WIDTH * GLYPH_HEIGHT];
        for (int y = 0; y < GLYPH_HEIGHT; y++) {
            if (rows[y].length() != GLYPH_WIDTH) {
                throw new IllegalStateException("glyph " + c + " row " + y + " needs " + GLYPH_WIDTH + " columns");
            }
            for (int x = 0; x < GLYPH_WIDTH; x++) {
                bits[y * GLYPH_WIDTH + x] = rows[y].charAt(x) == '#';
            }
        }
        GLYPHS.put(c, bits);
    }

    /** Whether glyph pixel (x, y) of {@code c} is set; unknown characters are blank. */
    static boolean pixel(char c, int x, int y) {
        boolean[] bits = GLYPHS.get(Character.toUpperCase(c));
        return bits != null && bits[y * GLYPH_WIDTH + x];
    }

    static boolean hasGlyph(char c) {
        return c == ' ' || GLYPHS.containsKey(Character.toUpperCase(c));
    }

    /** Width in output pixels of {@code text} drawn at {@code scale}. */
    static int width(String text, int scale) {
        return text.isEmpty() ? 0 : (text.length() * ADVANCE - 1) * scale;
    }

    static int height(int scale) {
        return GLYPH_HEIGHT * scale;
    }
}
