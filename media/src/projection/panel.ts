/**
 * The projection's side panel: the hovered point (identity, input index
 * and its thumbnail when the payload has one) and the neighbours of the
 * clicked point.
 */
import type {
  ProjectionPayload,
  ProjectionView,
} from '../../../kernels/subface/display/contract';
import { make } from '../frame';
import { identityName } from './groups';
import type { Neighbour } from './neighbours';

/** Colour of a label's points (the legend colour, or the grey). */
export type ColourOfLabel = (label: number) => string;

function swatch(colour: string): HTMLElement {
  const dot = make('span', 'subface-swatch');
  dot.style.background = colour;
  return dot;
}

/** The thumbnail of an input row, or null when there is none. */
function thumbnail(
  payload: ProjectionPayload,
  index: number,
  scale = 1,
): HTMLImageElement | null {
  const thumbnails = payload.thumbnails;
  const url = thumbnails?.images[String(index)];
  if (thumbnails == null || url === undefined) return null;
  const image = make('img', 'subface-thumb');
  image.src = url;
  image.width = Math.round(thumbnails.width * scale);
  image.height = Math.round(thumbnails.height * scale);
  image.alt = `input ${index}`;
  return image;
}

/** The hovered point's card. */
export function hoverCard(
  payload: ProjectionPayload,
  view: ProjectionView,
  point: number,
  colourOf: ColourOfLabel,
): HTMLElement {
  const label = view.labels[point];
  const index = view.indices[point];
  const card = make('div', 'subface-hover');
  const title = make('div');
  title.append(
    swatch(colourOf(label)),
    identityName(payload.classNames, label),
  );
  card.append(title, make('div', '', `input index ${index}`));
  const image = thumbnail(payload, index, 2);
  if (image !== null) card.appendChild(image);
  return card;
}

/** The list of a clicked point's nearest neighbours. */
export function neighbourList(
  payload: ProjectionPayload,
  view: ProjectionView,
  selected: number,
  neighbours: readonly Neighbour[],
  colourOf: ColourOfLabel,
  space: string,
): HTMLElement {
  const names = payload.classNames;
  const label = view.labels[selected];
  const same = neighbours.filter((n) => view.labels[n.point] === label);
  const box = make('div', 'subface-neighbours');
  box.appendChild(
    make(
      'div',
      '',
      `${neighbours.length} nearest to ${identityName(names, label)} ` +
        `(input ${view.indices[selected]}) in ${space}; ` +
        `${same.length} share its identity`,
    ),
  );
  const table = make('table');
  for (const neighbour of neighbours) {
    const point = neighbour.point;
    const row = table.insertRow();
    const name = row.insertCell();
    name.style.textAlign = 'left';
    name.append(
      swatch(colourOf(view.labels[point])),
      identityName(names, view.labels[point]),
    );
    row.insertCell().textContent = String(view.indices[point]);
    const distance = neighbour.distance;
    row.insertCell().textContent =
      distance === null ? '' : distance.toPrecision(3);
    const image = thumbnail(payload, view.indices[point]);
    if (image !== null) row.insertCell().appendChild(image);
  }
  box.appendChild(table);
  return box;
}
