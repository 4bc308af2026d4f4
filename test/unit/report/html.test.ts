import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';

import type { PayloadKind } from '../../../kernels/subface/display/contract';
import {
  payloadId,
  renderReport,
  reportBundlePath,
  ReportError,
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

const HOSTILE = '</script><script>alert(1)</script>';

const PAYLOADS: ReportPayloads = {
  title: 'test </script> run',
  summary: {
    run: 'runs/x',
    backend: 'wasm',
    steps: 3,
    seconds: 1,
    rows: [['loss', HOSTILE]],
  },
  training: trainingFixture(),
  verification: verificationFixture(),
  projection: { ...projectionFixture(), classNames: [HOSTILE, 'b'] },
  aggregation: aggregationFixture(),
  pairs: pairsFixture(),
};

/** A stand-in for out/media/report.js that tries to end its tag. */
const BUNDLE = 'globalThis.SubfaceViews = { note: "</script>" };';

const RENDER_CALLS: Record<PayloadKind, string> = {
  training: 'renderTraining(',
  verification: 'renderVerification(',
  projection: 'renderProjection(',
  aggregation: 'renderAggregation(',
};

/** The JSON inside the payload tag `id` of `html`, or undefined. */
function payloadOf(html: string, id: string): unknown {
  const open = `<script type="application/json" id="${id}">`;
  const start = html.indexOf(open);
  if (start < 0) return undefined;
  const end = html.indexOf('</script>', start);
  return JSON.parse(html.slice(start + open.length, end));
}

function count(text: string, part: string): number {
  return text.split(part).length - 1;
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
  const html = renderReport(PAYLOADS, BUNDLE);

  it('embeds each payload unchanged, the pairs in the aggregation', () => {
    const { training, verification, projection } = PAYLOADS;
    assert.deepEqual(payloadOf(html, payloadId('training')), training);
    assert.deepEqual(payloadOf(html, payloadId('verification')), verification);
    assert.deepEqual(payloadOf(html, payloadId('projection')), projection);
    assert.deepEqual(payloadOf(html, payloadId('aggregation')), {
      ...PAYLOADS.aggregation,
      pairs: PAYLOADS.pairs,
    });
    assert.equal(count(html, 'type="application/json"'), 4);
  });

  it('keeps an aggregation payload own pair view', () => {
    const own = { ...pairsFixture(), k: 99 };
    const aggregation = { ...aggregationFixture(), pairs: own };
    const page = renderReport({ ...PAYLOADS, aggregation }, BUNDLE);
    const embedded = payloadOf(page, payloadId('aggregation'));
    assert.equal((embedded as { pairs: { k: number } }).pairs.k, 99);
  });

  it('rejects a pair view without an aggregation to draw it in', () => {
    const { aggregation: _left, ...rest } = PAYLOADS;
    assert.throws(() => renderReport(rest, BUNDLE), ReportError);
  });

  it('inlines the bundle and loads nothing from elsewhere', () => {
    assert.ok(
      html.includes('globalThis.SubfaceViews = { note: "<\\/script>" }'),
    );
    assert.ok(!/<script[^>]*\ssrc=/i.test(html));
    assert.ok(!/<link\b/i.test(html));
    assert.ok(!/\shref=/i.test(html));
    assert.ok(!/https?:\/\//i.test(html.replace(BUNDLE, '')));
  });

  it('draws each present view with one SubfaceViews call', () => {
    for (const call of Object.values(RENDER_CALLS)) {
      assert.equal(count(html, call), 1, call);
    }
    assert.ok(html.includes('{"lightToggle":false}'));

    const small = renderReport({ title: 't', training: trainingFixture() }, '');
    assert.equal(count(small, RENDER_CALLS.training), 1);
    for (const kind of ['verification', 'projection', 'aggregation'] as const) {
      assert.equal(count(small, RENDER_CALLS[kind]), 0, kind);
      assert.equal(payloadOf(small, payloadId(kind)), undefined);
    }
  });

  it('cannot be cut short by </script> in names or code', () => {
    // Four payload tags, the bundle and the drawing script.
    assert.equal(count(html.toLowerCase(), '</script'), 6);
    assert.ok(!html.includes('<script>alert'));
    assert.ok(html.includes('<title>test &lt;/script&gt; run</title>'));
  });

  it('writes the run summary as a plain HTML table', () => {
    assert.ok(html.includes('<h2>Run</h2>'));
    assert.ok(html.includes('runs/x: 3 steps in 1.0 s on the wasm backend'));
    assert.ok(
      html.includes(
        '<tr><th>loss</th><td>&lt;/script&gt;&lt;script&gt;alert(1)' +
          '&lt;/script&gt;</td></tr>',
      ),
    );
  });

  it('refuses code whose <!-- and <script would swallow its end tag', () => {
    const code = 'var a = "<!--"; var b = "<script>";';
    assert.throws(() => renderReport(PAYLOADS, code), ReportError);
  });
});

describe('writeReport', () => {
  it('inlines the built renderer bundle', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'subface-report-'));
    try {
      const { path: file, bytes } = await writeReport(dir, PAYLOADS);
      const html = fs.readFileSync(file, 'utf8');
      assert.equal(bytes, Buffer.byteLength(html));
      const bundle = fs.readFileSync(reportBundlePath(), 'utf8');
      assert.ok(bytes > Buffer.byteLength(bundle));
      assert.ok(html.includes(bundle.slice(0, 2000)));
      assert.ok(!/<script[^>]*\ssrc=/i.test(html));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says to run npm run build when the bundle is missing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'subface-report-'));
    try {
      const bundlePath = path.join(dir, 'missing', 'report.js');
      await assert.rejects(
        writeReport(dir, PAYLOADS, { bundlePath }),
        (error: unknown) =>
          error instanceof ReportError &&
          error.message.includes(bundlePath) &&
          /npm run build/.test(error.message),
      );
      assert.ok(!fs.existsSync(path.join(dir, 'report.html')));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
