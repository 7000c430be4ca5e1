/**
 * Grids of square grayscale tiles (a filter or an image each) encoded as PNG with pngjs:
 * tiles in row-major order, `TILE_GAP` white pixels around each, values in [0, 1] (clipped).
 */
import { PNG } from 'pngjs';
import { assert } from '../errors';

export const TILE_GAP = 2;
const BACKGROUND = 255;

export interface GridImage {
  png: Buffer;
  width: number;
  height: number;
}

/** Side in pixels of a grid of `count` tiles of `side` pixels. */
export function gridSide(count: number, side: number): number {
  return count * side + (count + 1) * TILE_GAP;
}

export function tileGridPng(tiles: readonly Float32Array[], columns: number): GridImage {
  const side = Math.round(Math.sqrt(tiles[0]?.length ?? 0));
  assert(side > 0 && tiles.every((tile) => tile.length === side * side), () => `tiles must be equal squares, got ${tiles.map((t) => t.length)}`);
  const width = gridSide(columns, side);
  const height = gridSide(Math.ceil(tiles.length / columns), side);
  const png = new PNG({ width, height });
  png.data.fill(BACKGROUND);
  tiles.forEach((tile, t) => {
    const left = TILE_GAP + (t % columns) * (side + TILE_GAP);
    const top = TILE_GAP + Math.floor(t / columns) * (side + TILE_GAP);
    tile.forEach((value, p) => {
      const offset = 4 * ((top + Math.floor(p / side)) * width + left + (p % side));
      png.data.fill(Math.round(255 * Math.min(1, Math.max(0, value))), offset, offset + 3);
    });
  });
  return { png: PNG.sync.write(png, { colorType: 0 }), width, height };
}

/** The tile stretched to [0, 1]: its minimum black, its maximum white (a flat tile is black). */
export function minMaxNormalised(tile: Float32Array): Float32Array {
  let min = Infinity;
  let max = -Infinity;
  for (const value of tile) {
    min = Math.min(min, value);
    max = Math.max(max, value);
  }
  const range = max - min || 1;
  return tile.map((value) => (value - min) / range);
}
