/**
 * Rules of the payloads that JSON Schema cannot state: parallel arrays
 * of equal length, caps that match the data, ascending steps. Run only
 * on payloads that already passed their schema.
 */
import {
  AGGREGATION_MIME,
  AggregationRun,
  PairView,
  PROJECTION_MIME,
  ProjectionNeighbors,
  ProjectionPayload,
  SubfaceMime,
  TRAINING_MIME,
  TrainingRun,
  VerificationPayload,
} from './contract';
import { PayloadProblem, problem } from './problems';

/** Problems for arrays under `path` whose length is not `length`. */
function sameLength(
  path: string,
  arrays: Record<string, readonly unknown[] | undefined>,
  length: number,
): PayloadProblem[] {
  return Object.entries(arrays)
    .filter(([, array]) => array !== undefined && array.length !== length)
    .map(([name, array]) =>
      problem(
        `${path}/${name}`,
        `an array of length ${length}`,
        `length ${array?.length}`,
      ),
    );
}

/** Neighbour lists that do not fit the view at `path` of `shown` points. */
function neighborProblems(
  path: string,
  neighbors: ProjectionNeighbors,
  shown: number,
): PayloadProblem[] {
  const found = sameLength(path, { indices: neighbors.indices }, shown);
  const { k } = neighbors;
  neighbors.indices.forEach((list, point) => {
    const where = `${path}/indices/${point}`;
    if (list.length > k) {
      found.push(
        problem(where, `at most k (${k}) long`, `length ${list.length}`),
      );
    }
    const bad = list.find((other) => other >= shown || other === point);
    if (bad !== undefined) {
      const expected = `positions < ${shown}, other than ${point}`;
      found.push(problem(where, expected, bad));
    }
  });
  return found;
}

function projectionProblems(payload: ProjectionPayload): PayloadProblem[] {
  const found: PayloadProblem[] = [];
  const numClasses = payload.classNames.length;
  payload.views.forEach((view, v) => {
    const path = `/views/${v}`;
    const shown = view.x.length;
    found.push(
      ...sameLength(path, { y: view.y, labels: view.labels }, shown),
      ...sameLength(path, { indices: view.indices, z: view.z }, shown),
    );
    if (view.cap.shown !== shown) {
      found.push(problem(`${path}/cap/shown`, `${shown}`, view.cap.shown));
    }
    if ((view.z !== undefined) !== (view.dims === 3)) {
      found.push(
        problem(`${path}/z`, 'present exactly when dims is 3', view.z),
      );
    }
    const label = view.labels.find((l) => l >= numClasses);
    if (label !== undefined) {
      const expected = `< classNames.length (${numClasses})`;
      found.push(problem(`${path}/labels`, expected, label));
    }
    if (view.neighbors !== undefined) {
      found.push(
        ...neighborProblems(`${path}/neighbors`, view.neighbors, shown),
      );
    }
  });
  return found;
}

function pairProblems(path: string, pairs: PairView): PayloadProblem[] {
  const shown = pairs.cap.shown;
  return sameLength(
    path,
    { full: pairs.full, min: pairs.min, mean: pairs.mean },
    shown,
  );
}

function aggregationProblems(
  run: AggregationRun,
  path: string,
): PayloadProblem[] {
  const numRows = run.rows.length;
  const numColumns = run.columns.length;
  const found = [
    ...sameLength(path, { rowLabels: run.rowLabels, gap: run.gap }, numRows),
    ...sameLength(
      path,
      { values: run.values, rowCounts: run.rowCounts },
      numRows,
    ),
    ...sameLength(path, { columnMeans: run.columnMeans }, numColumns),
  ];
  run.values.forEach((row, r) => {
    found.push(...sameLength(`${path}/values`, { [r]: row }, numColumns));
  });
  if (run.cap.shown !== numRows) {
    found.push(problem(`${path}/cap/shown`, `${numRows}`, run.cap.shown));
  }
  if (run.pairs) found.push(...pairProblems(`${path}/pairs`, run.pairs));
  return found;
}

function trainingProblems(run: TrainingRun, path: string): PayloadProblem[] {
  const shown = run.steps.length;
  const { loss, lr, samplesPerSecond } = run;
  const found = sameLength(path, { loss, lr, samplesPerSecond }, shown);
  const descending = run.steps.findIndex(
    (s, i) => i > 0 && s <= run.steps[i - 1],
  );
  if (descending > 0) {
    found.push(
      problem(
        `${path}/steps/${descending}`,
        `> ${run.steps[descending - 1]} (ascending steps)`,
        run.steps[descending],
      ),
    );
  }
  if (run.cap.shown !== shown) {
    found.push(problem(`${path}/cap/shown`, `${shown}`, run.cap.shown));
  }
  return found;
}

function verificationProblems(payload: VerificationPayload): PayloadProblem[] {
  const { numSame, numDifferent, numPairs } = payload;
  const found = sameLength(
    '/roc',
    { tpr: payload.roc.tpr },
    payload.roc.fpr.length,
  );
  if (numSame + numDifferent !== numPairs) {
    const expected = `numSame + numDifferent (${numSame + numDifferent})`;
    found.push(problem('/numPairs', expected, numPairs));
  }
  return found;
}

/** A run and its further runs, each with its JSON pointer. */
function withOtherRuns<T>(payload: T & { otherRuns?: T[] }): [T, string][] {
  const others = payload.otherRuns ?? [];
  return [
    [payload, ''],
    ...others.map((run, i): [T, string] => [run, `/otherRuns/${i}`]),
  ];
}

/** Problems of a payload that passed the schema of `mime`. */
export function consistencyProblems(
  mime: SubfaceMime,
  value: unknown,
): PayloadProblem[] {
  switch (mime) {
    case PROJECTION_MIME:
      return projectionProblems(value as ProjectionPayload);
    case AGGREGATION_MIME:
      return withOtherRuns(value as AggregationRun).flatMap(([run, path]) =>
        aggregationProblems(run, path),
      );
    case TRAINING_MIME:
      return withOtherRuns(value as TrainingRun).flatMap(([run, path]) =>
        trainingProblems(run, path),
      );
    default:
      return verificationProblems(value as VerificationPayload);
  }
}
