// The preview's palette: every two states that can share a picture differ enough in every theme
// kind, for normal vision and under simulated dichromacy, and each stands out from the theme's
// background; the colour arithmetic itself against published reference values.
import { strict as assert } from 'assert';
import fc from 'fast-check';
import { contrastRatio, deltaE2000, difference, hexToRgb, luminance, rgbToLab, simulateVision, Vision } from '../../../webview/model/colour';
import { gridState, gridStateTable, statesShown } from '../../../webview/model/gridStates';
import { ATTENDED, CODE_COUNT, DILATION_GROUP, FULL, KIND_SHIFT, PARTIAL, QUERY, STRIDE_GROUP } from '../../../webview/model/layers';
import {
  markInks,
  MIN_CONTRAST,
  MIN_MARK_CONTRAST,
  REFERENCE_FOREGROUNDS,
  MIN_DIFFERENCE,
  PICTURE_STATES,
  PictureName,
  PictureState,
  REFERENCE_BACKGROUNDS,
  stateColours,
  THEME_KINDS,
  themeKindOf,
} from '../../../webview/model/palette';

const VISIONS = Object.keys(MIN_DIFFERENCE) as Vision[];

describe('preview palette: colour arithmetic', () => {
  it('CIEDE2000 matches Sharma, Wu and Dalal’s published test pairs', () => {
    const pairs: [number[], number[], number][] = [
      [[50, 2.6772, -79.7751], [50, 0, -82.7485], 2.0425],
      [[50, 3.1571, -77.2803], [50, 0, -82.7485], 2.8615],
      [[50, 2.8361, -74.02], [50, 0, -82.7485], 3.4412],
      [[50, 0, 0], [50, -1, 2], 2.3669],
      [[50, 2.5, 0], [73, 25, -18], 27.1492],
      [[50, 2.5, 0], [61, -5, 29], 22.8977],
      [[50, 2.5, 0], [56, -27, -3], 31.903],
      [[50, 2.5, 0], [58, 24, 15], 19.4535],
      [[60.2574, -34.0099, 36.2677], [60.4626, -34.1751, 39.4387], 1.2644],
    ];
    for (const [a, b, expected] of pairs) {
      const lab = (v: number[]) => [v[0], v[1], v[2]] as const;
      assert.ok(Math.abs(deltaE2000(lab(a), lab(b)) - expected) < 1e-4, `${a} vs ${b}`);
      assert.ok(Math.abs(deltaE2000(lab(b), lab(a)) - expected) < 1e-4, 'symmetric');
    }
  });

  it('sRGB white and black: CIELAB ends, luminance 1 and 0, contrast 21', () => {
    const white = rgbToLab([255, 255, 255]);
    assert.ok(Math.abs(white[0] - 100) < 1e-3 && Math.abs(white[1]) < 1e-2 && Math.abs(white[2]) < 1e-2);
    assert.deepEqual(rgbToLab([0, 0, 0]).map((v) => Math.abs(Math.round(v * 1e6))), [0, 0, 0]);
    assert.equal(luminance([255, 255, 255]), 1);
    assert.equal(contrastRatio([0, 0, 0], [255, 255, 255]), 21);
  });

  it('dichromacy simulations keep greys grey and lose the axis they model', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), fc.constantFrom<Vision>('deuteranopia', 'protanopia', 'tritanopia'), (v, vision) => {
        const [r, g, b] = simulateVision([v, v, v], vision);
        assert.ok(Math.abs(r - v) < 0.6 && Math.abs(g - v) < 0.6 && Math.abs(b - v) < 0.6, `${v} under ${vision}`);
      }),
    );
    // Red and green of equal lightness: far apart to normal vision, close under red-green dichromacy.
    const red = hexToRgb('#d0483c');
    const green = hexToRgb('#5f8f2a');
    assert.ok(difference(red, green) > 40);
    assert.ok(difference(red, green, 'deuteranopia') < difference(red, green) / 2);
    assert.ok(difference(red, green, 'protanopia') < difference(red, green) / 2);
  });
});

describe('preview palette: states a person tells apart at a glance', () => {
  for (const kind of THEME_KINDS) {
    it(`${kind}: every two states of one picture, and each state and the background, differ by the documented minimum`, () => {
      const colours = stateColours(kind);
      const failures: string[] = [];
      let worst = Infinity;
      for (const background of REFERENCE_BACKGROUNDS[kind]) {
        const bg = hexToRgb(background);
        const fill = (s: PictureState) => (s === 'empty' ? bg : colours[s]);
        for (const picture of Object.keys(PICTURE_STATES) as PictureName[]) {
          const states = PICTURE_STATES[picture];
          for (let i = 0; i < states.length; i++) {
            for (let j = i + 1; j < states.length; j++) {
              for (const vision of VISIONS) {
                const d = difference(fill(states[i]), fill(states[j]), vision);
                worst = Math.min(worst, d / MIN_DIFFERENCE[vision]);
                if (d < MIN_DIFFERENCE[vision]) failures.push(`${picture}: ${states[i]} vs ${states[j]} on ${background}, ${vision}: ΔE ${d.toFixed(1)}`);
              }
            }
          }
          for (const s of states) {
            if (s === 'empty') continue;
            const ratio = contrastRatio(fill(s), bg);
            if (ratio < MIN_CONTRAST[kind]) failures.push(`${picture}: ${s} on ${background}: contrast ${ratio.toFixed(2)}`);
          }
        }
      }
      assert.deepEqual(failures, []);
      assert.ok(worst >= 1);
    });
  }

  it('the theme kind comes from the body class VS Code sets (high-contrast light carries both classes)', () => {
    assert.equal(themeKindOf(['vscode-light']), 'light');
    assert.equal(themeKindOf(['vscode-dark']), 'dark');
    assert.equal(themeKindOf(['vscode-high-contrast']), 'high-contrast');
    assert.equal(themeKindOf(['vscode-high-contrast', 'vscode-high-contrast-light']), 'high-contrast-light');
    assert.equal(themeKindOf([]), 'dark');
  });
});

describe('preview palette: the state of a grid cell', () => {
  const code = (bits: number, kind: number) => bits | (kind << KIND_SHIFT);

  it('groups are drawn only when asked for, and never hide the query or, for the dilation group, the window', () => {
    const none = { strideGroup: false, dilationGroup: false };
    const both = { strideGroup: true, dilationGroup: true };
    assert.equal(gridState(code(STRIDE_GROUP | DILATION_GROUP, 0), none), 'empty');
    assert.equal(gridState(code(STRIDE_GROUP | ATTENDED, FULL), none), 'attended');
    assert.equal(gridState(code(STRIDE_GROUP | ATTENDED, FULL), both), 'strideGroup');
    assert.equal(gridState(code(DILATION_GROUP | ATTENDED, PARTIAL), both), 'attendedPartial');
    assert.equal(gridState(code(DILATION_GROUP, PARTIAL), both), 'dilationGroup');
    assert.equal(gridState(code(DILATION_GROUP, PARTIAL), none), 'masked');
    assert.equal(gridState(code(QUERY | STRIDE_GROUP | ATTENDED, FULL), both), 'query');
  });

  it('every code maps to a grid state, and the legend lists exactly the states of the cells drawn', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 60, max: CODE_COUNT - 1 }), fc.boolean(), fc.boolean(), (codes, s, d) => {
        const table = gridStateTable({ strideGroup: s, dilationGroup: d });
        for (const state of table) assert.ok(PICTURE_STATES.grid.includes(state));
        const expected = new Set([...codes].map((c) => gridState(c, { strideGroup: s, dilationGroup: d })));
        assert.deepEqual([...statesShown(codes, table)].sort(), [...expected].sort());
      }),
    );
  });

  it('in high-contrast themes the Q tile outline and the query ring stand out from every fill they cross, by one of their two tones', () => {
    for (const kind of ['high-contrast', 'high-contrast-light'] as const) {
      const colours = stateColours(kind);
      for (const background of REFERENCE_BACKGROUNDS[kind]) {
        for (const foreground of REFERENCE_FOREGROUNDS[kind]) {
          const inks = markInks(kind, hexToRgb(background), hexToRgb(foreground), colours.query);
          const fills = [...Object.entries(colours), ['empty', hexToRgb(background)] as const];
          for (const [state, fill] of fills) {
            const best = Math.max(contrastRatio(inks.over, fill), inks.under ? contrastRatio(inks.under, fill) : 0);
            assert.ok(best >= MIN_MARK_CONTRAST, `${kind} on ${background}/${foreground}: the mark on ${state} has contrast ${best.toFixed(2)}`);
          }
        }
      }
    }
  });
});
