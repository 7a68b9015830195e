import onnxProto from 'onnx-proto';
import type { onnx as OnnxTypes } from 'onnx-proto';

const { onnx } = onnxProto;

/** The ONNX operator set the exported graphs use (every op is in the default domain at opset 13). */
export const ONNX_OPSET = 13;
/** ONNX IR version 7 is the one that goes with opset 13 (ONNX 1.8). */
export const ONNX_IR_VERSION = 7;

/** An attribute value of a node. */
export type AttributeValue = number | number[] | string | { float: number };

/** One input or output of the graph: float32 with a symbolic batch dimension first. */
export interface GraphTensor {
  name: string;
  /** Dimensions after the batch dimension. */
  dims: number[];
}

/**
 * Builds one ONNX graph (nodes, float32 initializers, a float32 input and output with a symbolic
 * `batch` dimension) and writes it as an ONNX `ModelProto` with the generated protobuf code of
 * `onnx-proto` (ONNX's own `onnx.proto3`, compiled with protobufjs).
 *
 * @example
 * const g = new OnnxGraph('penguins');
 * const w = g.initializer('w', [4, 3], weights);
 * const y = g.node('Gemm', ['input', w]);
 * const bytes = g.toBytes({ name: 'input', dims: [4] }, { name: y, dims: [3] });
 */
export class OnnxGraph {
  readonly #nodes: OnnxTypes.INodeProto[] = [];
  readonly #initializers: OnnxTypes.ITensorProto[] = [];
  readonly #names = new Set<string>();
  #next = 0;

  constructor(readonly name: string) {}

  /** A fresh value name that starts with `hint`. */
  fresh(hint: string): string {
    let name = hint;
    while (this.#names.has(name)) name = `${hint}_${++this.#next}`;
    this.#names.add(name);
    return name;
  }

  /** Adds a float32 constant; returns its name. */
  initializer(hint: string, dims: number[], values: Float32Array): string {
    const name = this.fresh(hint);
    const raw = new Uint8Array(values.length * 4);
    const view = new DataView(raw.buffer);
    values.forEach((v, i) => view.setFloat32(i * 4, v, true));
    this.#initializers.push(
      onnx.TensorProto.create({ name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: raw }),
    );
    return name;
  }

  /** Adds an int64 constant (a shape); returns its name. */
  int64Initializer(hint: string, values: number[]): string {
    const name = this.fresh(hint);
    this.#initializers.push(
      onnx.TensorProto.create({
        name,
        dims: [values.length],
        dataType: onnx.TensorProto.DataType.INT64,
        int64Data: values,
      }),
    );
    return name;
  }

  /** Adds a node with one output; returns the output's name. */
  node(
    opType: string,
    inputs: string[],
    attributes: Record<string, AttributeValue> = {},
    hint?: string,
  ): string {
    const output = this.fresh(hint ?? opType.toLowerCase());
    this.#nodes.push(
      onnx.NodeProto.create({
        name: this.fresh(`${output}_node`),
        opType,
        input: inputs,
        output: [output],
        attribute: Object.entries(attributes).map(([key, value]) => attribute(key, value)),
      }),
    );
    return output;
  }

  /** The `ModelProto` bytes with this input and output. */
  toBytes(input: GraphTensor, output: GraphTensor, docString = ''): Uint8Array {
    const io = (t: GraphTensor): OnnxTypes.IValueInfoProto =>
      onnx.ValueInfoProto.create({
        name: t.name,
        type: onnx.TypeProto.create({
          tensorType: onnx.TypeProto.Tensor.create({
            elemType: onnx.TensorProto.DataType.FLOAT,
            shape: onnx.TensorShapeProto.create({
              dim: [{ dimParam: 'batch' }, ...t.dims.map((d) => ({ dimValue: d }))],
            }),
          }),
        }),
      });
    const model = onnx.ModelProto.create({
      irVersion: ONNX_IR_VERSION,
      opsetImport: [onnx.OperatorSetIdProto.create({ domain: '', version: ONNX_OPSET })],
      producerName: 'myelin',
      producerVersion: '0.1.0',
      docString,
      graph: onnx.GraphProto.create({
        name: this.name,
        node: this.#nodes,
        initializer: this.#initializers,
        input: [io(input)],
        output: [io(output)],
      }),
    });
    return onnx.ModelProto.encode(model).finish();
  }
}

function attribute(name: string, value: AttributeValue): OnnxTypes.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof value === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(value) };
  if (Array.isArray(value)) return { name, type: T.INTS, ints: value };
  if (typeof value === 'object') return { name, type: T.FLOAT, f: value.float };
  return { name, type: T.INT, i: value };
}

/** Reads the header fields of an ONNX model (for tests and checks). */
export function readOnnxModel(bytes: Uint8Array): OnnxTypes.ModelProto {
  return onnx.ModelProto.decode(bytes);
}
