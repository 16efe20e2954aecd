/** Writes a MODEL_CARD.md (and metrics.json) next to a trained model; used by the training scripts. */
import * as fs from 'fs';
import * as path from 'path';

export interface ModelCard {
  name: string;
  summary: string;
  data: string;
  architecture: string;
  training: string;
  metrics: Record<string, number>;
  retrain: string;
}

export function writeModelCard(dir: string, card: ModelCard): void {
  fs.mkdirSync(dir, { recursive: true });
  const metrics = Object.entries(card.metrics).map(([k, v]) => `| ${k} | ${v.toFixed(4)} |`).join('\n');
  const text = `# Model card: ${card.name}

${card.summary}

## Data
${card.data}

## Architecture
${card.architecture}

## Training
${card.training}

## Measured
| metric | value |
|---|---|
${metrics}

\`test/models/shipped-models.test.ts\` recomputes the held-out accuracy from these weights.

## How to retrain
\`\`\`
${card.retrain}
\`\`\`

Load it with \`await lens.zoo.${card.name === 'fashion-cnn' ? 'fashionCnn' : 'shapesCnn'}()\` or \`await lens.loadModel('${card.name}')\`.
`;
  fs.writeFileSync(path.join(dir, 'MODEL_CARD.md'), text);
  fs.writeFileSync(path.join(dir, 'metrics.json'), JSON.stringify(card.metrics, null, 2) + '\n');
}
