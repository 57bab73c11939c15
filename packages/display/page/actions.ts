import { byId, el } from './dom.ts';

/** The actions contract (see the package README): what `GET api/actions` returns. */
interface ActionList {
  readonly title?: string;
  readonly notes?: readonly string[];
  readonly actions: readonly {
    readonly id: string;
    readonly label: string;
    readonly eventType?: string;
    readonly available: boolean;
    readonly reason?: string;
  }[];
}

interface ActionResult {
  readonly ok?: boolean;
  readonly message?: string;
}

/** While an action is unavailable, the list is asked again this often (an adapter may come up). */
const RECHECK_MS = 3_000;
let shown = '';

/**
 * Loads the optional actions panel and wires each button to `POST api/actions/<id>`. While any
 * action is unavailable it checks again, and redraws only when the list changed.
 */
export async function loadActions(): Promise<void> {
  const response = await fetch('api/actions', { headers: { accept: 'application/json' } });
  if (!response.ok) return;
  const text = await response.text();
  const list = JSON.parse(text) as ActionList;
  if (list.actions.some((action) => !action.available)) setTimeout(() => void loadActions().catch(() => {}), RECHECK_MS);
  if (text === shown) return;
  shown = text;
  byId('actions').hidden = false;
  if (list.title !== undefined) byId('actions-title').textContent = list.title;
  byId('action-notes').replaceChildren(...(list.notes ?? []).map((note) => el('li', { text: note })));
  byId('action-buttons').replaceChildren(
    ...list.actions.map((action) => {
      const button = el(
        'button',
        { data: { action: action.id }, title: action.reason ?? `Send ${action.label}` },
        [action.label, el('small', { text: action.eventType ?? '' })],
      );
      button.type = 'button';
      button.disabled = !action.available;
      const result = el('div', {
        className: 'result',
        text: action.available ? '' : (action.reason ?? 'unavailable'),
      });
      button.addEventListener('click', () => void run(action.id, button, result));
      return el('div', { className: 'action', data: { available: String(action.available) } }, [
        button,
        result,
      ]);
    }),
  );
}

async function run(id: string, button: HTMLButtonElement, result: HTMLElement): Promise<void> {
  button.disabled = true;
  result.textContent = 'sending…';
  delete result.dataset['ok'];
  try {
    const response = await fetch(`api/actions/${encodeURIComponent(id)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: '{}',
    });
    const body = (await response.json().catch(() => ({}))) as ActionResult;
    const ok = response.ok && body.ok !== false;
    result.dataset['ok'] = String(ok);
    result.textContent = body.message ?? `${response.status} ${response.statusText}`;
  } catch (error) {
    result.dataset['ok'] = 'false';
    result.textContent = String(error);
  } finally {
    button.disabled = false;
  }
}
