// The event display page: a live list of the CloudEvents the server receives (server-sent
// events from api/stream), with filter, pause, clear, counters and a detail panel.
import type { DisplayedEvent } from '../src/displayed-event.ts';
import type { RefusedRequest } from '../src/event-store.ts';
import { loadActions } from './actions.ts';
import { byId } from './dom.ts';
import { ListView } from './list-view.ts';
import { EventModel, type Snapshot } from './model.ts';

const model = new EventModel();
const view = new ListView(model);
const status = byId('status');

function setStatus(state: 'connecting' | 'live' | 'down', text: string): void {
  status.dataset['state'] = state;
  status.textContent = text;
}

function connect(): void {
  const stream = new EventSource('api/stream');
  let actionsLoaded = false;
  stream.addEventListener('open', () => setStatus('live', 'live'));
  stream.addEventListener('error', () => setStatus('down', 'reconnecting…'));
  stream.addEventListener('snapshot', (message) => {
    const snapshot = JSON.parse((message as MessageEvent<string>).data) as Snapshot;
    model.reset(snapshot);
    view.renderAll();
    if (snapshot.actions && !actionsLoaded) {
      actionsLoaded = true;
      loadActions().catch(() => (actionsLoaded = false));
    }
  });
  stream.addEventListener('cloudevent', (message) => {
    const event = JSON.parse((message as MessageEvent<string>).data) as DisplayedEvent;
    model.add(event);
    view.added(event);
  });
  stream.addEventListener('refused', (message) => {
    model.addRefused(JSON.parse((message as MessageEvent<string>).data) as RefusedRequest);
    view.renderRefused();
  });
  stream.addEventListener('cleared', () => {
    model.clear();
    view.renderAll();
  });
}

function wireToolbar(): void {
  const filter = byId<HTMLInputElement>('filter');
  filter.addEventListener('input', () => view.setFilter(filter.value));
  byId('counts').addEventListener('click', (event) => {
    const chip = (event.target as HTMLElement).closest<HTMLElement>('.chip');
    if (chip === null) return;
    filter.value = view.filter === chip.dataset['type'] ? '' : (chip.dataset['type'] ?? '');
    view.setFilter(filter.value);
  });
  byId('pause').addEventListener('click', () => view.togglePause());
  byId('clear').addEventListener('click', () => void fetch('api/events', { method: 'DELETE' }));
  byId('detail-close').addEventListener('click', () => view.select(undefined));
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') view.select(undefined);
  });
}

function showExample(): void {
  const url = new URL('.', location.href).href;
  byId('example').textContent = [
    `curl -X POST ${url} \\`,
    `  -H 'ce-specversion: 1.0' -H 'ce-id: 1' -H 'ce-source: /curl' \\`,
    `  -H 'ce-type: com.example.hello' -H 'content-type: application/json' \\`,
    `  -d '{"hello":"world"}'`,
  ].join('\n');
}

wireToolbar();
showExample();
connect();
