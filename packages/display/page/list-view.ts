import type { DisplayedEvent } from '../src/displayed-event.ts';
import { byId } from './dom.ts';
import { matches, type EventModel } from './model.ts';
import { attributeRows, countChips, dataView, eventRow, refusedRow } from './render.ts';

/**
 * The event list, the counters, the filter, pause and the detail panel. While paused, events
 * still arrive in the model and the counters, but the list holds still until resumed.
 */
export class ListView {
  readonly #model: EventModel;
  readonly #list = byId<HTMLOListElement>('events');
  readonly #empty = byId('empty');
  readonly #noMatch = byId('no-match');
  readonly #total = byId('total');
  readonly #counts = byId('counts');
  readonly #pause = byId<HTMLButtonElement>('pause');
  readonly #layout = byId('detail').parentElement as HTMLElement;
  #filter = '';
  #paused = false;
  #pending = 0;
  #selected: number | undefined;

  constructor(model: EventModel) {
    this.#model = model;
  }

  get filter(): string {
    return this.#filter;
  }

  /** Rebuilds the whole list (snapshot, clear, filter change, resume). */
  renderAll(): void {
    this.#pending = 0;
    this.#list.replaceChildren(
      ...this.#model.events.filter((e) => matches(e, this.#filter)).map((e) => this.#row(e, false)),
    );
    this.#renderChrome();
    this.renderRefused();
    if (this.#selected !== undefined && this.#model.find(this.#selected) === undefined)
      this.select(undefined);
  }

  /** A new event: prepended unless paused or filtered out; the oldest row goes past capacity. */
  added(event: DisplayedEvent): void {
    if (this.#paused) this.#pending++;
    else if (matches(event, this.#filter)) {
      this.#list.prepend(this.#row(event, true));
      while (this.#list.childElementCount > this.#model.capacity) this.#list.lastElementChild?.remove();
    }
    this.#renderChrome();
  }

  setFilter(filter: string): void {
    this.#filter = filter.trim();
    this.renderAll();
  }

  togglePause(): void {
    this.#paused = !this.#paused;
    if (!this.#paused) this.renderAll();
    else this.#renderChrome();
  }

  select(seq: number | undefined): void {
    this.#selected = seq;
    for (const row of this.#list.querySelectorAll('.event.selected')) row.classList.remove('selected');
    const event = seq === undefined ? undefined : this.#model.find(seq);
    const detail = byId('detail');
    detail.hidden = event === undefined;
    this.#layout.classList.toggle('with-detail', event !== undefined);
    if (event === undefined) return;
    this.#list.querySelector(`.event[data-seq="${event.seq}"]`)?.classList.add('selected');
    byId('detail-title').textContent = String(event.attributes['type']);
    byId('detail-attributes').replaceChildren(...attributeRows(event));
    byId('detail-warnings').replaceChildren(
      ...event.warnings.map((w) => Object.assign(document.createElement('li'), { textContent: w })),
    );
    const data = dataView(event.data);
    byId('detail-data-kind').textContent = data.kind;
    byId('detail-data').replaceChildren(...data.nodes);
  }

  #row(event: DisplayedEvent, fresh: boolean): HTMLLIElement {
    const row = eventRow(event);
    if (fresh) row.classList.add('fresh');
    if (event.seq === this.#selected) row.classList.add('selected');
    row.addEventListener('click', () => this.select(event.seq === this.#selected ? undefined : event.seq));
    return row;
  }

  /** Why requests did not become events: shown only while there are any. */
  renderRefused(): void {
    byId('refused').hidden = this.#model.refused.length === 0;
    byId('refused-list').replaceChildren(...this.#model.refused.map(refusedRow));
  }

  #renderChrome(): void {
    this.#total.textContent = String(this.#model.total);
    this.#empty.hidden = this.#model.events.length > 0;
    // Events are kept but the filter hides them all: say so rather than show a blank list.
    const hiddenByFilter =
      this.#filter !== '' && this.#model.events.length > 0 && this.#list.childElementCount === 0;
    this.#noMatch.hidden = !hiddenByFilter;
    this.#noMatch.textContent = hiddenByFilter
      ? `No event matches “${this.#filter}” (type or source). Clear the filter to see all ${this.#model.events.length}.`
      : '';
    this.#counts.replaceChildren(...countChips(this.#model.counts, this.#filter));
    this.#pause.textContent = this.#paused
      ? `Resume${this.#pending > 0 ? ` (${this.#pending} new)` : ''}`
      : 'Pause';
    this.#pause.setAttribute('aria-pressed', String(this.#paused));
  }
}
