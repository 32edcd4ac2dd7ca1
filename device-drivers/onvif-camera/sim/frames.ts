/**
 * The simulator's pictures: a test pattern (colour bars, a checkerboard, a grey ramp) with a
 * square that moves every frame and a frame counter in the middle, and an OSD clock at the top
 * the way cameras burn one in. Fault pictures keep the OSD, as real ones do: a covered lens is
 * dark with the clock still on it, a stalled sensor freezes the scene while the clock runs on.
 */
import sharp from 'sharp';

export type PictureKind = 'live' | 'black' | 'uniform' | 'blurred' | 'frozen';

// 5×7 glyphs, one row per string, '#' = lit.
const GLYPHS: Record<string, string[]> = {
  '0': ['.###.', '#...#', '#..##', '#.#.#', '##..#', '#...#', '.###.'],
  '1': ['..#..', '.##..', '..#..', '..#..', '..#..', '..#..', '.###.'],
  '2': ['.###.', '#...#', '....#', '...#.', '..#..', '.#...', '#####'],
  '3': ['####.', '....#', '....#', '.###.', '....#', '....#', '####.'],
  '4': ['...#.', '..##.', '.#.#.', '#..#.', '#####', '...#.', '...#.'],
  '5': ['#####', '#....', '####.', '....#', '....#', '#...#', '.###.'],
  '6': ['.###.', '#....', '#....', '####.', '#...#', '#...#', '.###.'],
  '7': ['#####', '....#', '...#.', '..#..', '.#...', '.#...', '.#...'],
  '8': ['.###.', '#...#', '#...#', '.###.', '#...#', '#...#', '.###.'],
  '9': ['.###.', '#...#', '#...#', '.####', '....#', '....#', '.###.'],
  '-': ['.....', '.....', '.....', '#####', '.....', '.....', '.....'],
  ':': ['.....', '..#..', '..#..', '.....', '..#..', '..#..', '.....'],
  '#': ['.#.#.', '.#.#.', '#####', '.#.#.', '#####', '.#.#.', '.#.#.'],
  ' ': ['.....', '.....', '.....', '.....', '.....', '.....', '.....'],
};

type Rgb = [number, number, number];

class Canvas {
  readonly data: Buffer;
  constructor(readonly w: number, readonly h: number) {
    this.data = Buffer.alloc(w * h * 3);
  }

  rect(x0: number, y0: number, w: number, h: number, c: Rgb): void {
    const x1 = Math.min(this.w, Math.max(0, x0 + w));
    const y1 = Math.min(this.h, Math.max(0, y0 + h));
    for (let y = Math.max(0, y0); y < y1; y++) {
      for (let x = Math.max(0, x0); x < x1; x++) {
        const i = (y * this.w + x) * 3;
        this.data[i] = c[0];
        this.data[i + 1] = c[1];
        this.data[i + 2] = c[2];
      }
    }
  }

  text(s: string, x: number, y: number, scale: number, c: Rgb): void {
    for (const ch of s) {
      const g = GLYPHS[ch] ?? GLYPHS[' ']!;
      g.forEach((row, r) => {
        for (let col = 0; col < 5; col++) if (row[col] === '#') this.rect(x + col * scale, y + r * scale, scale, scale, c);
      });
      x += 6 * scale;
    }
  }

  /** Sensor-like noise of ±amp, the same on the three channels, shifted by the seed. */
  noise(amp: number, seed: number): void {
    const tile = noiseTile(amp);
    const off = (seed * 7919) % tile.length;
    for (let p = 0, i = 0; i < this.data.length; p++, i += 3) {
      const d = tile[(p + off) % tile.length]!;
      for (let k = 0; k < 3; k++) {
        const v = this.data[i + k]! + d;
        this.data[i + k] = v < 0 ? 0 : v > 255 ? 255 : v;
      }
    }
  }
}

const tiles = new Map<number, Int8Array>();
function noiseTile(amp: number): Int8Array {
  let t = tiles.get(amp);
  if (!t) {
    t = new Int8Array(65_521);
    let s = 2463534242;
    for (let i = 0; i < t.length; i++) {
      s ^= s << 13;
      s >>>= 0;
      s ^= s >>> 17;
      s ^= s << 5;
      s >>>= 0;
      t[i] = (s % (2 * amp + 1)) - amp;
    }
    tiles.set(amp, t);
  }
  return t;
}

const BARS: Rgb[] = [[191, 191, 191], [191, 191, 0], [0, 191, 191], [0, 191, 0], [191, 0, 191], [191, 0, 0], [0, 0, 191]];

function scene(c: Canvas, frame: number): void {
  const { w, h } = c;
  const barsH = Math.round(h * 0.55);
  const bw = Math.ceil(w / BARS.length);
  BARS.forEach((col, i) => c.rect(i * bw, 0, bw, barsH, col));
  // Checkerboard and grey ramp below the bars.
  const cell = Math.max(8, Math.round(h / 18));
  for (let y = barsH; y < Math.round(h * 0.8); y += cell) {
    for (let x = 0; x < w; x += cell) {
      const on = ((x / cell) + ((y - barsH) / cell)) % 2 < 1;
      c.rect(x, y, cell, cell, on ? [235, 235, 235] : [30, 30, 30]);
    }
  }
  const steps = 16;
  for (let i = 0; i < steps; i++) {
    const v = Math.round(16 + (219 * i) / (steps - 1));
    c.rect(Math.floor((i * w) / steps), Math.round(h * 0.8), Math.ceil(w / steps), h - Math.round(h * 0.8), [v, v, v]);
  }
  // The moving square and the frame counter, in the middle of the picture (outside the OSD bands).
  const size = Math.round(h / 6);
  const span = Math.max(1, w - size);
  const x = Math.round((frame * 37) % (2 * span));
  const sx = x < span ? x : 2 * span - x;
  const sy = Math.round(h * 0.3);
  c.rect(sx, sy, size, size, [16, 16, 16]);
  c.rect(sx + Math.round(size / 8), sy + Math.round(size / 8), size - Math.round(size / 4), size - Math.round(size / 4), [240, 240, 240]);
  const scale = Math.max(1, Math.floor(h / 90));
  const label = `#${String(frame).padStart(6, '0')}`;
  c.rect(Math.round(w * 0.62) - scale * 2, Math.round(h * 0.62) - scale * 2, label.length * 6 * scale + scale * 3, 7 * scale + scale * 4, [0, 0, 0]);
  c.text(label, Math.round(w * 0.62), Math.round(h * 0.62), scale, [255, 255, 0]);
}

function osd(c: Canvas, now: number): void {
  const d = new Date(now);
  const p = (n: number) => String(n).padStart(2, '0');
  const text = `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
  // Inside the top 6 % of the height, as cameras draw their clock.
  const scale = Math.max(1, Math.floor((c.h * 0.045) / 7));
  const pad = Math.max(1, Math.floor(scale / 2));
  c.rect(pad, pad, text.length * 6 * scale + 2 * pad, 7 * scale + 2 * pad, [0, 0, 0]);
  c.text(text, 2 * pad, 2 * pad, scale, [255, 255, 255]);
}

export interface FrameSpec {
  width: number;
  height: number;
  kind: PictureKind;
  /** The frame number (moves the square); a frozen picture keeps the one it froze at. */
  frame: number;
  /** The camera's clock for the OSD (drift included). */
  now: number;
}

/** One JPEG snapshot. */
export async function renderFrame(spec: FrameSpec): Promise<Buffer> {
  const c = new Canvas(spec.width, spec.height);
  switch (spec.kind) {
    case 'black':
      c.rect(0, 0, c.w, c.h, [14, 14, 14]);
      c.noise(3, spec.frame);
      break;
    case 'uniform':
      c.rect(0, 0, c.w, c.h, [118, 122, 126]);
      c.noise(2, spec.frame);
      break;
    default:
      scene(c, spec.frame);
  }
  const raw = { raw: { width: c.w, height: c.h, channels: 3 as const } };
  if (spec.kind === 'blurred') {
    // Defocus of about 1 % of the width (a lens far off focus, a smeared dome); the camera
    // draws its OSD after the lens, so the clock stays sharp.
    const blurred = await sharp(c.data, raw).blur(Math.max(1, spec.width / 100)).raw().toBuffer();
    blurred.copy(c.data);
  }
  osd(c, spec.now);
  return sharp(c.data, raw).jpeg({ quality: 80 }).toBuffer();
}
