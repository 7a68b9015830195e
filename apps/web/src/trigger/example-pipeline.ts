/** A small pipeline to start from: the penguins dataset shipped with vega-datasets. */
export const EXAMPLE_PIPELINE = `apiVersion: myelin/v1
name: penguins
data:
  source: npm:vega-datasets/data/penguins.json
  target: Species
  features: [Island, Beak Length (mm), Beak Depth (mm), Flipper Length (mm), Body Mass (g), Sex]
  split: { train: 0.7, validation: 0.15, test: 0.15, seed: 42, stratify: true }
preprocess: { impute: { numeric: median, category: mostFrequent }, scale: standard, encode: onehot }
model:
  layers:
    - dense: { units: 16, activation: relu }
train:
  epochs: 10
  batchSize: 16
  optimizer: { name: adam, learningRate: 0.01 }
  seed: 7
evaluate:
  gates:
    accuracy: { min: 0.9 }
register:
  model: penguins
  aliases: [staging]
`;
