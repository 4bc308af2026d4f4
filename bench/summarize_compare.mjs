// Reads the JSON lines of bench/compare_losses.sh on stdin and prints a
// Markdown table: per variant, the mean and the sample standard deviation
// (n - 1) over seeds of the 10-fold verification accuracy.
import { createInterface } from 'node:readline';

const byVariant = new Map();
for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  const { variant, seed, result } = JSON.parse(line);
  if (!byVariant.has(variant)) byVariant.set(variant, []);
  byVariant.get(variant).push({ seed, accuracy: result.accuracy });
}

const percent = (x) => (100 * x).toFixed(2);
console.log('| variant | seeds | accuracy per seed (%) | mean +- std (%) |');
console.log('| --- | --- | --- | --- |');
for (const [variant, runs] of byVariant) {
  const values = runs.map((r) => r.accuracy);
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance =
    values.length > 1
      ? values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1)
      : 0;
  const seeds = runs.map((r) => r.seed).join(', ');
  const each = values.map(percent).join(', ');
  console.log(
    `| ${variant} | ${seeds} | ${each} | ` +
      `${percent(mean)} +- ${percent(Math.sqrt(variance))} |`,
  );
}
