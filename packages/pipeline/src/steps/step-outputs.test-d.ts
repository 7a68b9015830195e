import { describe, expectTypeOf, it } from 'vitest';
import type { StepOutputs } from '../run/step-context.js';
import type { TypedStep } from './step-definition.js';
import type { StepOutputMap } from './step-outputs.js';
import { STEPS } from './step-registry.js';

// A type test (compiled by typecheck; its it() bodies never run): each step's outputs are the shape
// StepOutputMap declares for it, and a step returning another shape does not compile.
describe('StepOutputMap', () => {
  it('types every registered step by its name', () => {
    expectTypeOf(STEPS.evaluate.run).returns.resolves.toEqualTypeOf<StepOutputMap['evaluate']>();
    expectTypeOf(STEPS.register.run).returns.resolves.toEqualTypeOf<StepOutputMap['register']>();
    expectTypeOf<StepOutputMap[keyof StepOutputMap]>().toExtend<StepOutputs>();
  });

  it('refuses a step whose outputs miss a field or have another type', () => {
    const _missing: TypedStep<'register'> = {
      name: 'register',
      cacheKey: async () => null,
      // @ts-expect-error: no `aliases`
      run: async () => ({ manifest: 'm', model: 'x', version: 1 }),
    };
    const _wrongType: TypedStep<'ingest'> = {
      name: 'ingest',
      cacheKey: async () => null,
      // @ts-expect-error: rows is a number
      run: async () => ({ dataset: 'd', dataHash: 'h', rows: '3', source: 's' }),
    };
  });
});
