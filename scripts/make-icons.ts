// Draws the app icons (a white register clipboard on the theme blue) and writes them as PNG files with a
// small hand-rolled encoder, so no image library is needed. Run: npx tsx scripts/make-icons.ts
import { mkdirSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

type Rgb = readonly [number, number, number];
type Point = readonly [number, number];

const THEME_BLUE: Rgb = [0x1d, 0x4f, 0x91];
const WHITE: Rgb = [0xff, 0xff, 0xff];
const CLIP_BLUE: Rgb = [0xb8, 0xcd, 0xea];
const TICK_GREEN: Rgb = [0x00, 0x70, 0x3c];

/** A shape as a signed distance (negative inside) in motif units, on a 512-unit canvas. */
type Shape = { colour: Rgb; distance: (x: number, y: number) => number };

function roundedRect(left: number, top: number, right: number, bottom: number, radius: number) {
  const cx = (left + right) / 2;
  const cy = (top + bottom) / 2;
  const hx = (right - left) / 2 - radius;
  const hy = (bottom - top) / 2 - radius;
  return (x: number, y: number): number => {
    const dx = Math.abs(x - cx) - hx;
    const dy = Math.abs(y - cy) - hy;
    const outside = Math.hypot(Math.max(dx, 0), Math.max(dy, 0));
    return outside + Math.min(Math.max(dx, dy), 0) - radius;
  };
}

/** A polyline with round caps and joins, `width` thick. */
function stroke(points: readonly Point[], width: number) {
  return (x: number, y: number): number => {
    let nearest = Infinity;
    for (let i = 0; i + 1 < points.length; i += 1) {
      const [ax, ay] = points[i] as Point;
      const [bx, by] = points[i + 1] as Point;
      const abx = bx - ax;
      const aby = by - ay;
      const t = Math.max(0, Math.min(1, ((x - ax) * abx + (y - ay) * aby) / (abx * abx + aby * aby)));
      nearest = Math.min(nearest, Math.hypot(x - (ax + t * abx), y - (ay + t * aby)));
    }
    return nearest - width / 2;
  };
}

/** The register: a clipboard with three ticked rows. Coordinates on a 512 x 512 canvas. */
const MOTIF: readonly Shape[] = [
  { colour: WHITE, distance: roundedRect(128, 104, 384, 432, 32) },
  { colour: CLIP_BLUE, distance: roundedRect(196, 72, 316, 136, 20) },
  { colour: THEME_BLUE, distance: roundedRect(224, 92, 288, 112, 10) },
  ...[208, 280, 352].flatMap((y): Shape[] => [
    {
      colour: TICK_GREEN,
      distance: stroke(
        [
          [164, y],
          [180, y + 16],
          [208, y - 16],
        ],
        16,
      ),
    },
    {
      colour: THEME_BLUE,
      distance: stroke(
        [
          [240, y],
          [344, y],
        ],
        20,
      ),
    },
  ]),
];

/** The motif's furthest point from the centre, in motif units, for fitting it into a safe zone. */
const MOTIF_RADIUS = Math.hypot(384 - 256, 432 - 256);

type IconSpec = { file: string; size: number; maskable: boolean };

const ICONS: readonly IconSpec[] = [
  { file: 'public/icons/icon-192.png', size: 192, maskable: false },
  { file: 'public/icons/icon-512.png', size: 512, maskable: false },
  { file: 'public/icons/icon-maskable-512.png', size: 512, maskable: true },
];

/** Renders RGBA pixels; anti-aliased by treating each shape's distance as coverage of a pixel. */
function render({ size, maskable }: IconSpec): Uint8Array {
  const pixels = new Uint8Array(size * size * 4);
  // Maskable icons fill the square; the motif stays inside the central circle of 80% diameter.
  const motifScale = maskable ? (0.4 * 512 * 0.94) / MOTIF_RADIUS : 1;
  const background = maskable ? () => -1 : roundedRect(0, 0, 512, 512, 96);
  const unitsPerPixel = 512 / size;
  for (let py = 0; py < size; py += 1) {
    for (let px = 0; px < size; px += 1) {
      const x = (px + 0.5) * unitsPerPixel;
      const y = (py + 0.5) * unitsPerPixel;
      const alpha = coverage(background(x, y), unitsPerPixel);
      let colour: [number, number, number] = [...THEME_BLUE];
      const mx = 256 + (x - 256) / motifScale;
      const my = 256 + (y - 256) / motifScale;
      for (const shape of MOTIF) {
        const cover = coverage(shape.distance(mx, my), unitsPerPixel / motifScale);
        if (cover > 0)
          colour = colour.map((c, i) => c + ((shape.colour[i] as number) - c) * cover) as typeof colour;
      }
      const offset = (py * size + px) * 4;
      pixels.set([...colour.map(Math.round), Math.round(alpha * 255)], offset);
    }
  }
  return pixels;
}

function coverage(distance: number, pixelSize: number): number {
  return Math.max(0, Math.min(1, 0.5 - distance / pixelSize));
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (CRC_TABLE[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/** An 8-bit RGBA PNG: signature, IHDR, one IDAT (filter 0 on every row), IEND. */
function encodePng(size: number, rgba: Uint8Array): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: RGBA
  header[10] = 0; // compression: deflate
  header[11] = 0; // filter method
  header[12] = 0; // no interlace
  const stride = size * 4;
  const raw = Buffer.alloc((stride + 1) * size);
  for (let row = 0; row < size; row += 1) {
    raw[row * (stride + 1)] = 0;
    raw.set(rgba.subarray(row * stride, (row + 1) * stride), row * (stride + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

const root = new URL('../', import.meta.url);
mkdirSync(new URL('public/icons/', root), { recursive: true });
for (const icon of ICONS) {
  writeFileSync(new URL(icon.file, root), encodePng(icon.size, render(icon)));
  console.log(`wrote ${icon.file} (${icon.size}x${icon.size}${icon.maskable ? ', maskable' : ''})`);
}
