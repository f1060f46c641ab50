// Sizes for pictures drawn one colour per display cell: a whole number of device pixels per cell,
// the same for every cell, so no cell is drawn a pixel wider than its neighbour (uneven widths
// from scaling by a fraction make stripes that are not in the data).

export interface CellFit {
  /** Device pixels per cell, across and down. */
  readonly cellWidth: number;
  readonly cellHeight: number;
  /** The picture's size in device pixels. */
  readonly width: number;
  readonly height: number;
}

/**
 * Square cells as large as fit in maxWidth × maxHeight device pixels; cells are made taller (not
 * wider) when the picture would be under minHeight, as far as maxHeight allows.
 */
export function fitCells(cols: number, rows: number, maxWidth: number, maxHeight: number, minHeight: number): CellFit {
  const cellWidth = Math.max(1, Math.floor(maxWidth / cols));
  let cellHeight = Math.max(1, Math.min(cellWidth, Math.floor(maxHeight / rows)));
  if (rows * cellHeight < minHeight) cellHeight = Math.max(cellHeight, Math.min(Math.floor(maxHeight / rows), Math.ceil(minHeight / rows)));
  return { cellWidth, cellHeight, width: cols * cellWidth, height: rows * cellHeight };
}
