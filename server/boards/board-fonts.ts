/**
 * The CJK font a printed board embeds. It comes from npm (@expo-google-fonts/noto-sans-sc:
 * Noto Sans SC, SIL OFL 1.1, TrueType outlines), so `npm install && npm start` prints Chinese
 * on a machine with no font packages; Debian's Noto CJK collection is the fallback. pdfkit
 * embeds only the glyphs a board uses (a one-page board is ~100 KB, not the 10 MB font).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

export interface BoardFont {
  /** A TrueType/OpenType file (or a collection). */
  path: string;
  /** The face inside a collection (.ttc); undefined for a single-face file. */
  postscriptName: string | undefined;
}

export interface BoardFonts {
  regular: BoardFont;
  bold: BoardFont;
  /** The family name an SVG names to get these faces (resvg matches it against the files). */
  family: string;
}

const NPM_FACES = {
  regular: '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf',
  bold: '@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf',
} as const;
const DEBIAN_DIR = '/usr/share/fonts/opentype/noto';

function fromNpm(): BoardFonts | undefined {
  const require = createRequire(import.meta.url);
  try {
    return {
      regular: { path: require.resolve(NPM_FACES.regular), postscriptName: undefined },
      bold: { path: require.resolve(NPM_FACES.bold), postscriptName: undefined },
      family: 'Noto Sans SC',
    };
  } catch {
    return undefined;
  }
}

function fromDebian(): BoardFonts | undefined {
  const regular = `${DEBIAN_DIR}/NotoSansCJK-Regular.ttc`;
  const bold = `${DEBIAN_DIR}/NotoSansCJK-Bold.ttc`;
  if (!existsSync(regular)) return undefined;
  return {
    regular: { path: regular, postscriptName: 'NotoSansCJKsc-Regular' },
    bold: existsSync(bold)
      ? { path: bold, postscriptName: 'NotoSansCJKsc-Bold' }
      : { path: regular, postscriptName: 'NotoSansCJKsc-Regular' },
    family: 'Noto Sans CJK SC',
  };
}

let found: BoardFonts | null | undefined;

/** The fonts boards are printed with; throws (a 500 naming the fix) when there is none. */
export function boardFonts(): BoardFonts {
  if (found === undefined) found = fromNpm() ?? fromDebian() ?? null;
  if (!found) {
    throw new Error(
      'No Chinese font for printed boards: run `npm install` (@expo-google-fonts/noto-sans-sc) or install fonts-noto-cjk',
    );
  }
  return found;
}
