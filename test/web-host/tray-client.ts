// Runs in the web host's simulated tray page (./tray.ts): shows the tray
// menu as lists of buttons (a submenu is a labelled list, always open),
// posts the chosen item's action, the simulated clipboard and a drop on the
// icon, and asks for the menu again twice a second, redrawing it only when
// it changed.
import {
  TRAY_API_PATH,
  TRAY_TOKEN_HEADER,
  TRAY_TOKEN_META_NAME,
  trayAnswerSchema,
  trayPlatformSchema,
  type TrayAnswer,
  type TrayMenuItemJson,
  type TrayPlatform,
  type TrayRequest,
} from './tray-protocol';

type Without<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

const token = document.querySelector<HTMLMetaElement>(`meta[name="${TRAY_TOKEN_META_NAME}"]`)?.content ?? '';
const menuRoot = document.getElementById('menu')!;
const outcome = document.getElementById('outcome')!;
const title = document.getElementById('tray-title')!;
const icon = document.getElementById('tray-icon') as HTMLImageElement;
const platformSelect = document.getElementById('platform') as HTMLSelectElement;
const clipboardField = document.getElementById('clipboard') as HTMLInputElement;

const platform = (): TrayPlatform => trayPlatformSchema.catch('linux').parse(platformSelect.value);
let shown = '';
let ids = 0;

async function post(request: Without<TrayRequest, 'platform'>): Promise<void> {
  const response = await fetch(TRAY_API_PATH, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', [TRAY_TOKEN_HEADER]: token },
    body: JSON.stringify({ ...request, platform: platform() }),
  });
  if (!response.ok) throw new Error(`The web host answered ${response.status}.`);
  show(trayAnswerSchema.parse(await response.json()));
}

function show(answer: TrayAnswer) {
  if (answer.outcome !== null) outcome.textContent = answer.outcome;
  const key = JSON.stringify([answer.menu, answer.title, platform()]);
  if (key === shown) return;
  shown = key;
  title.textContent = answer.title;
  icon.src = answer.icon;
  menuRoot.replaceChildren(list(answer.menu, 'Tray menu'));
}

function list(items: readonly TrayMenuItemJson[], label: string | null, labelledBy?: string): HTMLUListElement {
  const ul = document.createElement('ul');
  ul.className = 'tray-menu';
  if (labelledBy) ul.setAttribute('aria-labelledby', labelledBy);
  else if (label) ul.setAttribute('aria-label', label);
  for (const item of items) {
    const li = document.createElement('li');
    if (item.type === 'separator') {
      li.append(document.createElement('hr'));
    } else if (item.type === 'submenu') {
      const id = `submenu-${(ids += 1)}`;
      const name = document.createElement('span');
      name.className = 'submenu-label';
      name.id = id;
      name.textContent = item.label;
      li.append(name, list(item.submenu, null, id));
    } else {
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = item.label;
      button.disabled = !item.enabled;
      const action = item.action;
      if (item.enabled && action) button.addEventListener('click', () => void post({ type: 'perform', action }).catch(report));
      li.append(button);
    }
    ul.append(li);
  }
  return ul;
}

function report(error: unknown) {
  outcome.textContent = error instanceof Error ? error.message : 'The web host did not answer.';
}

document.getElementById('clipboard-form')!.addEventListener('submit', (event) => {
  event.preventDefault();
  void post({ type: 'clipboard', text: clipboardField.value }).catch(report);
});
document.getElementById('drop')!.addEventListener('click', () => void post({ type: 'drop', text: clipboardField.value }).catch(report));
platformSelect.addEventListener('change', () => void post({ type: 'menu' }).catch(report));

const refresh = () => post({ type: 'menu' }).catch(report);
void refresh();
window.setInterval(() => void refresh(), 500);
