import { describe, expectTypeOf, it } from 'vitest';
import type { DataFormat, LayerSpec, PipelineSpec } from './index.js';

describe('PipelineSpec type', () => {
  it('has defaults resolved in its types', () => {
    expectTypeOf<PipelineSpec['register']['model']>().toEqualTypeOf<string>();
    expectTypeOf<PipelineSpec['data']['format']>().toEqualTypeOf<DataFormat>();
    expectTypeOf<PipelineSpec['model']['layers'][number]>().toEqualTypeOf<LayerSpec>();
    expectTypeOf<
      NonNullable<NonNullable<PipelineSpec['deploy']>['canary']>['duration']
    >().toEqualTypeOf<number>();
    expectTypeOf<PipelineSpec['train']['epochs']>().toEqualTypeOf<number>();
    expectTypeOf<PipelineSpec['train']['optimizer']['name']>().toEqualTypeOf<
      'adam' | 'sgd' | 'momentum' | 'rmsprop'
    >();
  });
});
