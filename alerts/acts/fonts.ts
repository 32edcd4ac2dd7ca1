/**
 * The fonts the technical act is set in. pdfkit's built-in PDF fonts (Helvetica, Times) have no
 * Cyrillic at all, so the act embeds DejaVu Sans, which covers Russian and every Kazakh letter
 * (ә ғ қ ң ө ұ ү һ і and their capitals). It comes from Debian's fonts-dejavu-core, which
 * scripts/setup-system.sh installs on a fresh machine; HALLWATCH_FONT_DIR points elsewhere.
 */
import fs from 'node:fs';
import path from 'node:path';

export const DEFAULT_FONT_DIR = '/usr/share/fonts/truetype/dejavu';

/** The letters of Kazakh Cyrillic that Russian lacks: the act must render every one of them. */
export const KAZAKH_LETTERS = 'әғқңөұүһіӘҒҚҢӨҰҮҺІ';

export interface ActFonts {
  regular: Buffer;
  bold: Buffer;
}

let cached: { dir: string; fonts: ActFonts } | undefined;

function fontDir(): string {
  return process.env.HALLWATCH_FONT_DIR || DEFAULT_FONT_DIR;
}

/** DejaVu Sans regular and bold, read once per process. Throws with the fix when missing. */
export function actFonts(): ActFonts {
  const dir = fontDir();
  if (cached && cached.dir === dir) return cached.fonts;
  const read = (file: string): Buffer => {
    const p = path.join(dir, file);
    try {
      return fs.readFileSync(p);
    } catch (err) {
      throw new Error(
        `technical act: font ${p} is missing (${(err as Error).message}); install Debian's ` +
          `fonts-dejavu-core (bash scripts/setup-system.sh runtime) or set HALLWATCH_FONT_DIR`,
      );
    }
  };
  const fonts = { regular: read('DejaVuSans.ttf'), bold: read('DejaVuSans-Bold.ttf') };
  cached = { dir, fonts };
  return fonts;
}
