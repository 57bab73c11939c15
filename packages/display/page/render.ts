import { CORE_ATTRIBUTES, type DisplayedEvent, type EventData } from '../src/displayed-event.ts';
import type { RefusedRequest } from '../src/event-store.ts';
import { el, hueOf } from './dom.ts';
import { typeOf } from './model.ts';

function clock(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : date.toLocaleTimeString(undefined, { hour12: false }) +
        `.${String(date.getMilliseconds()).padStart(3, '0')}`;
}

/** One refused request: when, who refused it, the status and code, and why. */
export function refusedRow(refused: RefusedRequest): HTMLLIElement {
  return el('li', { className: 'refused-row', data: { by: refused.by, code: refused.code } }, [
    el('time', { text: clock(refused.at), title: refused.at }),
    el('span', { className: 'by', text: refused.by }),
    el('span', { className: 'code', text: `${refused.status} ${refused.code}` }),
    el('span', { className: 'reason', text: refused.reason }),
  ]);
}

/** One event in the list: type and time, then source · subject · id, then the extensions. */
export function eventRow(event: DisplayedEvent): HTMLLIElement {
  const type = typeOf(event);
  const { attributes } = event;
  const meta = el('div', { className: 'meta' });
  for (const name of ['source', 'subject', 'id']) {
    const value = attributes[name];
    if (value !== undefined) meta.append(el('span', { text: String(value), title: name }));
  }
  const extensions = Object.entries(attributes).filter(([name]) => !CORE_ATTRIBUTES.includes(name));
  const row = el('li', { className: 'event', data: { type, seq: String(event.seq) } }, [
    el('div', { className: 'line' }, [
      el('span', { className: 'type', text: type }),
      el('time', { text: clock(event.receivedAt), title: `received ${event.receivedAt}` }),
      el('span', { className: 'mode', text: event.mode }),
    ]),
    meta,
  ]);
  if (extensions.length > 0) {
    row.append(
      el(
        'div',
        { className: 'ext' },
        extensions.map(([name, value]) => el('span', { text: `${name}=${String(value)}` })),
      ),
    );
  }
  if (event.warnings.length > 0)
    row.append(el('div', { className: 'warn', text: `⚠ ${event.warnings.join('; ')}` }));
  row.style.setProperty('--hue', String(hueOf(type)));
  return row;
}

/** The attribute table of the detail panel: core attributes first, then extensions by name. */
export function attributeRows(event: DisplayedEvent): HTMLTableRowElement[] {
  const rows: HTMLTableRowElement[] = [];
  const add = (name: string, value: string, className?: string) =>
    rows.push(
      el('tr', className === undefined ? {} : { className }, [
        el('th', { text: name }),
        el('td', { text: value }),
      ]),
    );
  for (const name of CORE_ATTRIBUTES) {
    const value = event.attributes[name];
    if (value !== undefined) add(name, String(value));
  }
  const extensions = Object.keys(event.attributes)
    .filter((name) => !CORE_ATTRIBUTES.includes(name))
    .sort();
  for (const name of extensions) add(name, String(event.attributes[name]), 'extension');
  add('mode', event.mode);
  add('received', event.receivedAt);
  return rows;
}

/** JSON with its tokens wrapped for colour; every piece is a text node. */
function highlightJson(text: string): Node[] {
  const nodes: Node[] = [];
  const token = /("(?:[^"\\]|\\.)*")(\s*:)?|\b(true|false|null)\b|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g;
  let last = 0;
  for (const match of text.matchAll(token)) {
    nodes.push(document.createTextNode(text.slice(last, match.index)));
    const [whole, string, colon, literal, number] = match;
    if (string !== undefined) {
      nodes.push(el('span', { className: colon === undefined ? 's' : 'k', text: string }));
      if (colon !== undefined) nodes.push(document.createTextNode(colon));
    } else {
      nodes.push(
        el('span', { className: literal === undefined ? 'n' : 'l', text: literal ?? number ?? whole }),
      );
    }
    last = match.index + whole.length;
  }
  nodes.push(document.createTextNode(text.slice(last)));
  return nodes;
}

/** The data, pretty-printed: JSON indented and coloured, text as is, bytes as base64. */
export function dataView(data: EventData | undefined): { kind: string; nodes: Node[] } {
  if (data === undefined) return { kind: '(none)', nodes: [] };
  if (data.kind === 'json')
    return { kind: 'JSON', nodes: highlightJson(JSON.stringify(data.value, null, 2)) };
  if (data.kind === 'text') return { kind: 'text', nodes: [document.createTextNode(data.value)] };
  return {
    kind: `${data.size} bytes, base64`,
    nodes: [document.createTextNode(data.base64.replace(/.{76}/g, '$&\n'))],
  };
}

/** One chip per type with its count; the active filter's chip is pressed. */
export function countChips(counts: ReadonlyMap<string, number>, filter: string): HTMLButtonElement[] {
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([type, count]) => {
      const chip = el('button', { className: 'chip', data: { type }, title: `Show only ${type}` }, [
        type,
        el('b', { text: String(count) }),
      ]);
      chip.type = 'button';
      chip.setAttribute('aria-pressed', String(filter === type));
      return chip;
    });
}
