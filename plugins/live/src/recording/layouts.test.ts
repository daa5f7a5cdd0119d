import { expect } from 'chai';
import { layoutCells, type Cell } from './layouts.js';

const inside = (cell: Cell, width: number, height: number) => cell.x >= 0 && cell.y >= 0 && cell.x + cell.width <= width && cell.y + cell.height <= height;
const overlap = (a: Cell, b: Cell) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('layoutCells', () => {
  it('BEST_FIT: an even grid, 2x2 for three videos', () => {
    expect(layoutCells('BEST_FIT', 3, 640, 480)).to.deep.equal([
      { x: 0, y: 0, width: 320, height: 240 },
      { x: 320, y: 0, width: 320, height: 240 },
      { x: 0, y: 240, width: 320, height: 240 },
    ]);
  });

  it('PICTURE_IN_PICTURE: the first on the whole canvas, the next inset at its bottom right, side by side', () => {
    const [main, first, second] = layoutCells('PICTURE_IN_PICTURE', 3, 640, 480);
    expect(main).to.deep.equal({ x: 0, y: 0, width: 640, height: 480 });
    expect(first!.x + first!.width).to.be.closeTo(640 - 12, 2);
    expect(first!.y + first!.height).to.be.closeTo(480 - 12, 2);
    expect(first).to.include({ width: 160, height: 120 });
    expect(second!.x + second!.width).to.be.lessThan(first!.x);
    expect(overlap(first!, second!)).to.equal(false);
  });

  it('VERTICAL_PRESENTATION: the first on top, the others in a row below it', () => {
    expect(layoutCells('VERTICAL_PRESENTATION', 3, 640, 480)).to.deep.equal([
      { x: 0, y: 0, width: 640, height: 384 },
      { x: 0, y: 384, width: 320, height: 96 },
      { x: 320, y: 384, width: 320, height: 96 },
    ]);
  });

  it('HORIZONTAL_PRESENTATION: the first on the left, the others in a column on its right', () => {
    expect(layoutCells('HORIZONTAL_PRESENTATION', 3, 640, 480)).to.deep.equal([
      { x: 0, y: 0, width: 512, height: 480 },
      { x: 512, y: 0, width: 128, height: 240 },
      { x: 512, y: 240, width: 128, height: 240 },
    ]);
  });

  it('every layout keeps its cells on the canvas, even-sized, and one video fills it', () => {
    for (const layout of ['BEST_FIT', 'PICTURE_IN_PICTURE', 'VERTICAL_PRESENTATION', 'HORIZONTAL_PRESENTATION'] as const) {
      for (let count = 1; count <= 5; count++) {
        const cells = layoutCells(layout, count, 1280, 720);
        expect(cells, `${layout} ${count}`).to.have.length(count);
        for (const cell of cells) {
          expect(inside(cell, 1280, 720), `${layout} ${count} ${JSON.stringify(cell)}`).to.equal(true);
          expect([cell.x, cell.y, cell.width, cell.height].every((v) => v % 2 === 0)).to.equal(true);
        }
      }
      expect(layoutCells(layout, 1, 1280, 720)).to.deep.equal([{ x: 0, y: 0, width: 1280, height: 720 }]);
    }
  });
});
