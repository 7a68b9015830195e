import { describe, expectTypeOf, it } from 'vitest';
import type { LayerSpec as TrainingLayerSpec, OutputSpec, TrainConfig } from '@myelin/training/config';
import type { ColumnRule as DataColumnRule, DataFormat as DataDataFormat, Task as DataTask } from '@myelin/data/config';
import type { Task as TrainingTask } from '@myelin/training';
import type { ColumnRule, DataFormat, LayerSpec, PipelineSpec, Task } from './index.js';

// A type test: `vitest run --typecheck` (the package's test script) compiles it and fails on a
// mismatch; its it() bodies never run.
describe('PipelineSpec type', () => {
  it('has defaults resolved in its types', () => {
    expectTypeOf<PipelineSpec['register']['model']>().toEqualTypeOf<string>();
    expectTypeOf<PipelineSpec['data']['format']>().toEqualTypeOf<DataFormat>();
    expectTypeOf<
      NonNullable<NonNullable<PipelineSpec['deploy']>['canary']>['duration']
    >().toEqualTypeOf<number>();
    expectTypeOf<PipelineSpec['train']['epochs']>().toEqualTypeOf<number>();
    expectTypeOf<PipelineSpec['train']['optimizer']['name']>().toEqualTypeOf<
      'adam' | 'sgd' | 'momentum' | 'rmsprop'
    >();
  });

  it('gives training the types training owns, without casts', () => {
    expectTypeOf<LayerSpec>().toEqualTypeOf<TrainingLayerSpec>();
    expectTypeOf<PipelineSpec['model']['layers'][number]>().toEqualTypeOf<TrainingLayerSpec>();
    expectTypeOf<NonNullable<PipelineSpec['model']['output']>>().toExtend<OutputSpec>();
    expectTypeOf<PipelineSpec['train']['optimizer']>().toExtend<TrainConfig['optimizer']>();
    expectTypeOf<NonNullable<PipelineSpec['train']['earlyStopping']>>().toExtend<
      NonNullable<TrainConfig['earlyStopping']>
    >();
    expectTypeOf<NonNullable<PipelineSpec['train']['lrSchedule']>>().toExtend<
      NonNullable<TrainConfig['lrSchedule']>
    >();
  });

  it('gives data and training the types data owns, without casts', () => {
    expectTypeOf<Task>().toEqualTypeOf<DataTask>();
    expectTypeOf<TrainingTask>().toEqualTypeOf<DataTask>();
    expectTypeOf<DataFormat>().toEqualTypeOf<DataDataFormat>();
    expectTypeOf<ColumnRule>().toEqualTypeOf<DataColumnRule>();
    expectTypeOf<NonNullable<PipelineSpec['task']>>().toEqualTypeOf<DataTask>();
    expectTypeOf<PipelineSpec['validate']['columns'][string]>().toExtend<DataColumnRule>();
  });
});
