import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';

import {
  drawReport,
  PAYLOAD_IDS,
  renderReport,
  ReportPayloads,
  scriptSafeJson,
  writeReport,
} from '../../../kernels/subface/report';
import {
  aggregationFixture,
  pairsFixture,
  projectionFixture,
  trainingFixture,
  verificationFixture,
} from '../display/fixtures';

const PAYLOADS: ReportPayloads = {
  title: 'test </script> run',
  summary: {
    run: 'runs/x',
    backend: 'wasm',
    steps: 3,
    seconds: 1,
    rows: [['loss', '</script><script>alert(1)</script>']],
  },
  training: trainingFixture(),
  verification: verificationFixture(),
  projection: projectionFixture(),
  aggregation: aggregationFixture(),
  pairs: pairsFixture(),
};

/** The JSON inside the payload tag `id` of `html`. */
function payloadOf(html: string, id: string): unknown {
  const start = html.indexOf(`id="${id}">`) + `id="${id}">`.length;
  const end = html.indexOf('</script>', start);
  return JSON.parse(html.slice(start, end));
}

describe('scriptSafeJson', () => {
  it('never writes </script and parses back to the same value', () => {
    const value = { text: '</script><!-- \u2028' };
    const json = scriptSafeJson(value);
    assert.ok(!json.toLowerCase().includes('</script'));
    assert.ok(!json.includes('<!--'));
    assert.deepEqual(JSON.parse(json), value);
  });
});

describe('renderReport', () => {
  const html = renderReport(PAYLOADS, '/* plotly stand-in */');

  it('embeds every payload in a JSON script tag, unchanged', () => {
    for (const view of Object.keys(
      PAYLOAD_IDS,
    ) as (keyof typeof PAYLOAD_IDS)[]) {
      assert.deepEqual(payloadOf(html, PAYLOAD_IDS[view]), PAYLOADS[view]);
    }
  });

  it('loads no script from the network and uses no eval', () => {
    assert.ok(!/<script[^>]*\ssrc=/i.test(html));
    assert.ok(!/\beval\(/.test(drawReport.toString()));
  });

  it('escapes the title', () => {
    assert.ok(html.includes('<title>test &lt;/script&gt; run</title>'));
  });

  it('leaves out views without a payload', () => {
    const small = renderReport({ title: 't' }, '');
    assert.ok(!small.includes(`id="${PAYLOAD_IDS.training}"`));
  });
});

describe('drawReport', () => {
  it('draws every view from the payload tags', () => {
    const html = renderReport(PAYLOADS, '');
    const plots: { traces: object[]; layout: object }[] = [];
    const element = () => ({
      textContent: null as string | null,
      innerHTML: '',
      className: '',
      children: [] as unknown[],
      appendChild(child: unknown) {
        this.children.push(child);
      },
    });
    const main = element();
    const page = {
      getElementById: (id: string) => {
        if (id === 'subface-main') return main;
        if (!html.includes(`id="${id}"`)) return null;
        const tag = element();
        tag.textContent = JSON.stringify(payloadOf(html, id));
        return tag;
      },
      createElement: () => element(),
    };
    const scope = globalThis as unknown as Record<string, unknown>;
    scope.document = page;
    scope.Plotly = {
      newPlot: (_div: unknown, traces: object[], layout: object) =>
        plots.push({ traces, layout }),
    };
    try {
      drawReport();
    } finally {
      delete scope.document;
      delete scope.Plotly;
    }
    // Curves, accuracy, ROC, one projection, heatmap, pairs.
    assert.equal(plots.length, 6);
    assert.equal(main.children.length, 6);
    const text = JSON.stringify(main.children);
    assert.ok(text.includes('0.90000 ± 0.10000'));
    assert.ok(text.includes('1.20'));
    assert.ok(!text.includes('<script>alert'));
  });
});

describe('writeReport', () => {
  it('inlines the installed plotly.js bundle', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'subface-report-'));
    try {
      const { path: file, bytes } = await writeReport(dir, PAYLOADS);
      const html = fs.readFileSync(file, 'utf8');
      assert.ok(html.includes('plotly.js v'));
      assert.ok(bytes > 1e6);
      assert.ok(!/<script[^>]*\ssrc=/i.test(html));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
