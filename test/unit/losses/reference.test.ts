import { before, describe, it } from 'node:test';

import { CENTER_LAYOUTS, SelectMode } from '../../../kernels/subface/losses';
import { checkCase, loadReference, useCpu } from './helpers';

const reference = loadReference();

describe('loss reference values (PyTorch float64)', () => {
  before(useCpu);

  for (const testCase of reference.cases) {
    const selects: SelectMode[] = testCase.blocks
      ? ['gather', 'mask']
      : ['gather'];
    it(`matches the reference loss and gradients: ${testCase.name}`, () => {
      for (const layout of CENTER_LAYOUTS) {
        for (const select of selects) {
          checkCase(reference, testCase, layout, select, 'auto');
        }
      }
    });
  }

  it('gives the same values with the device gather kernel', () => {
    for (const testCase of reference.cases) {
      if (testCase.blocks || testCase.classIndex) {
        checkCase(reference, testCase, 'dimMajor', 'gather', 'gather');
        checkCase(reference, testCase, 'classMajor', 'gather', 'gather');
      }
    }
  });
});
