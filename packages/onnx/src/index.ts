export {
  tfjsToOnnx,
  ONNX_INPUT_NAME,
  ONNX_OUTPUT_NAME,
  type OnnxExport,
  type TfjsToOnnxOptions,
} from './tfjs-to-onnx.js';
export { readTfjsLayersModel, type TfjsModelFiles, type TfjsLayersModel } from './tfjs-layers-model.js';
export { ONNX_OPSET, ONNX_IR_VERSION, readOnnxModel } from './onnx-graph.js';
export { storeOnnxExport } from './store-onnx-export.js';
export { tritonConfig, type TritonConfigInput, type TritonTensor } from './triton-config.js';
export {
  writeModelRepository,
  type ExportFormat,
  type ModelRepository,
  type ModelRepositoryOptions,
} from './model-repository.js';
