// The toolbar and store icons, drawn here rather than committed as binaries: a white shield with a
// keyhole on an indigo rounded square. PNGs are encoded by hand (zlib + CRC), 4x4 supersampled.
import zlib from 'node:zlib';

const INDIGO = [49, 76, 196];
const WHITE = [255, 255, 255];

/** Coverage of pixel (x, y) in [0, 1] for a size-`s` icon, in unit coordinates u, v ∈ [0, 1]. */
function paint(u, v) {
  const r = 0.2; // corner radius of the background
  const dx = Math.max(r - u, 0, u - (1 - r));
  const dy = Math.max(r - v, 0, v - (1 - r));
  if (dx * dx + dy * dy > r * r) return null; // outside the rounded square
  // Shield: flat top with a slight dip, sides that curve into a point at the bottom.
  const cx = 0.5;
  const top = 0.17 + 0.03 * Math.sin(Math.PI * ((u - 0.2) / 0.6));
  const half = v < 0.5 ? 0.3 : 0.3 * Math.sqrt(Math.max(0, 1 - ((v - 0.5) / 0.36) ** 2));
  const inShield = v >= top && v <= 0.86 && Math.abs(u - cx) <= half;
  if (!inShield) return INDIGO;
  // Keyhole: a circle and a tapered slot below it.
  const hole = (u - cx) ** 2 + (v - 0.43) ** 2 <= 0.075 ** 2;
  const slot = v >= 0.43 && v <= 0.66 && Math.abs(u - cx) <= 0.03 + (v - 0.43) * 0.12;
  return hole || slot ? INDIGO : WHITE;
}

function crc32(buf) {
  return zlib.crc32(buf) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A `size`×`size` RGBA PNG. */
export function iconPng(size) {
  const n = 4; // samples per axis
  const rows = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4); // filter byte 0, then RGBA
    for (let x = 0; x < size; x++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const c = paint((x + (sx + 0.5) / n) / size, (y + (sy + 0.5) / n) / size);
          if (!c) continue;
          r += c[0]; g += c[1]; b += c[2]; a += 1;
        }
      }
      const o = 1 + x * 4;
      if (a) {
        row[o] = Math.round(r / a);
        row[o + 1] = Math.round(g / a);
        row[o + 2] = Math.round(b / a);
      }
      row[o + 3] = Math.round((255 * a) / (n * n));
    }
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(Buffer.concat(rows), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export const ICON_SIZES = [16, 32, 48, 128];
