// A stand-in for the 'electron' module in adapter unit tests (the Electron
// binary cannot be downloaded on build machines). It records what the code
// under test asked Electron to do, so tests can assert on it.
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

export class FakeWebContents extends EventEmitter {
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  sent: unknown[][] = [];
  mainFrame = { url: 'app://paddock/index.html', parent: null };
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = handler;
  }
  isDestroyed() {
    return false;
  }
  send(...args: unknown[]) {
    this.sent.push(args);
  }
  /** Emits an event the way Electron does and says whether it was prevented. */
  emitPreventable(event: string, ...args: unknown[]): boolean {
    let prevented = false;
    this.emit(event, { preventDefault: () => (prevented = true) }, ...args);
    return prevented;
  }
}

export const app = Object.assign(new EventEmitter(), {
  requestSingleInstanceLock: vi.fn(() => true),
  quit: vi.fn(),
  exit: vi.fn(),
  getPath: vi.fn((name: string) => `/tmp/paddock-mock/${name}`),
  getName: () => 'Paddock',
  getVersion: () => '0.0.0-test',
  whenReady: () => Promise.resolve(),
  /** The schemes (with the executable and arguments) registered as this app's, as the OS would keep them. */
  protocolClients: new Map<string, string>(),
  setAsDefaultProtocolClient: vi.fn((scheme: string, ...rest: unknown[]) => {
    app.protocolClients.set(scheme, JSON.stringify(rest));
    return true;
  }),
  isDefaultProtocolClient: vi.fn((scheme: string, ...rest: unknown[]) => app.protocolClients.get(scheme) === JSON.stringify(rest)),
  /** Whether the app runs packaged (false: `electron .`). */
  isPackaged: false,
  setAppUserModelId: vi.fn((_id: string) => undefined),
  /** Linux's desktop name, as app.setDesktopName set it. */
  desktopName: undefined as string | undefined,
  setDesktopName: vi.fn((name: string) => {
    app.desktopName = name;
  }),
});

// Login items (electron/main/login-item.ts): what the OS keeps, per executable and arguments, as macOS and Windows do.
Object.assign(app, {
  /** The login items the fake OS keeps: key JSON of { path, args }, value the settings given. */
  loginItems: new Map<string, { openAtLogin: boolean }>(),
  /** macOS 13+: what getLoginItemSettings().status answers for an item that is on (tests set 'requires-approval'). */
  loginItemStatus: 'enabled' as string,
  /** Tests set it to make setLoginItemSettings ignore the change (a Windows policy that refuses Run entries). */
  loginItemsRefused: false,
  setLoginItemSettings: vi.fn((settings: { openAtLogin?: boolean; path?: string; args?: string[] }) => {
    const self = app as unknown as { loginItems: Map<string, { openAtLogin: boolean }>; loginItemsRefused: boolean };
    if (self.loginItemsRefused) return;
    self.loginItems.set(JSON.stringify({ path: settings.path, args: settings.args }), { openAtLogin: settings.openAtLogin ?? false });
  }),
  getLoginItemSettings: vi.fn((options?: { path?: string; args?: string[] }) => {
    const self = app as unknown as { loginItems: Map<string, { openAtLogin: boolean }>; loginItemStatus: string };
    const openAtLogin = self.loginItems.get(JSON.stringify({ path: options?.path, args: options?.args }))?.openAtLogin ?? false;
    return { openAtLogin, status: openAtLogin ? self.loginItemStatus : 'not-registered', wasOpenedAtLogin: false };
  }),
});

export const protocol = {
  registerSchemesAsPrivileged: vi.fn(),
  handlers: new Map<string, (request: Request) => Promise<Response>>(),
  handle: vi.fn((scheme: string, handler: (request: Request) => Promise<Response>) => {
    protocol.handlers.set(scheme, handler);
  }),
};

export const session = {
  defaultSession: {
    setPermissionRequestHandler: vi.fn(),
    setPermissionCheckHandler: vi.fn(),
  },
};

export const shell = {
  openExternal: vi.fn(async (_url: string) => undefined),
  /** Electron's answer: '' when the path opened, else an error message. */
  openPath: vi.fn(async (_path: string) => ''),
  showItemInFolder: vi.fn((_path: string) => undefined),
};

export class Notification extends EventEmitter {
  static supported = true;
  static shown: { title: string; body: string }[] = [];
  /** Every notification made, oldest first (its listeners: `listenerCount('click')`; a click: `emit('click')`). */
  static instances: Notification[] = [];
  static isSupported = () => Notification.supported;
  constructor(readonly options: { title: string; body: string }) {
    super();
    Notification.instances.push(this);
  }
  show() {
    Notification.shown.push(this.options);
  }
  /** Closes it as the system does when the user dismisses it. */
  close() {
    this.emit('close');
  }
}

export const ipcMain = {
  on: vi.fn(),
  handlers: new Map<string, (...args: unknown[]) => unknown>(),
  handle: vi.fn((channel: string, handler: (...args: unknown[]) => unknown) => {
    ipcMain.handlers.set(channel, handler);
  }),
  removeHandler: vi.fn((channel: string) => {
    ipcMain.handlers.delete(channel);
  }),
};

export const allWebContents: FakeWebContents[] = [];
export const webContents = { getAllWebContents: () => allWebContents };

export const nativeTheme = { shouldUseDarkColors: false };
export const dialog = {
  showErrorBox: vi.fn(),
  /** A message box's answer: the index of the button the user chose (the first by default). */
  showMessageBoxSync: vi.fn((..._args: unknown[]): number => 0),
  /** The save dialog's answer: what the user chose (cancel by default), as Electron resolves it. */
  showSaveDialog: vi.fn(async (..._args: unknown[]): Promise<{ canceled: boolean; filePath?: string }> => ({ canceled: true })),
};

export class BrowserWindow extends EventEmitter {
  static created: BrowserWindow[] = [];
  static getAllWindows = () => BrowserWindow.created;
  /** The window with the keyboard focus; null: none of the app's. */
  static focused: BrowserWindow | null = null;
  static getFocusedWindow = () => BrowserWindow.focused;
  destroyed = false;
  minimized = false;
  /** What was asked of the window, in order ('show', 'restore', 'focus'). */
  asked: string[] = [];
  readonly options: Record<string, unknown>;
  readonly webContents = new FakeWebContents();
  loadedUrl: string | undefined;
  constructor(options: Record<string, unknown>) {
    super();
    this.options = options;
    BrowserWindow.created.push(this);
  }
  loadURL(url: string) {
    this.loadedUrl = url;
    return Promise.resolve();
  }
  show() {
    this.visible = true;
    this.asked.push('show');
  }
  /** The same list as `asked` (both names are used by tests). */
  get calls(): string[] {
    return this.asked;
  }
  visible = false;
  isDestroyed() {
    return this.destroyed;
  }
  isVisible() {
    return this.visible;
  }
  isMinimized() {
    return this.minimized;
  }
  restore() {
    this.asked.push('restore');
    this.minimized = false;
  }
  focus() {
    this.asked.push('focus');
    BrowserWindow.focused = this;
  }
  /** Closes the window as the user does: it is destroyed and leaves getAllWindows. */
  close() {
    this.destroyed = true;
    BrowserWindow.created.splice(BrowserWindow.created.indexOf(this), 1);
    this.emit('closed');
  }
}

export const contextBridge = {
  exposed: new Map<string, unknown>(),
  exposeInMainWorld: vi.fn((key: string, api: unknown) => {
    contextBridge.exposed.set(key, api);
  }),
};

export const ipcRenderer = Object.assign(new EventEmitter(), {
  invoke: vi.fn(async (..._args: unknown[]): Promise<unknown> => undefined),
});

/** A native image as the tray code makes it: its representations (scale factor and PNG bytes) and whether it is a template image. */
export class FakeNativeImage {
  readonly representations: { scaleFactor: number; buffer: Buffer }[] = [];
  template = false;
  addRepresentation(options: { scaleFactor: number; buffer: Buffer }) {
    this.representations.push({ scaleFactor: options.scaleFactor, buffer: options.buffer });
  }
  setTemplateImage(template: boolean) {
    this.template = template;
  }
  isTemplateImage() {
    return this.template;
  }
}

export const nativeImage = {
  createFromBuffer: vi.fn((buffer: Buffer, options?: { scaleFactor?: number }) => {
    const image = new FakeNativeImage();
    image.addRepresentation({ scaleFactor: options?.scaleFactor ?? 1, buffer });
    return image;
  }),
  createEmpty: vi.fn(() => new FakeNativeImage()),
};

/** A menu built from a template: the template as given (click functions included), for tests to read and click. */
export class FakeMenu {
  constructor(readonly template: Record<string, unknown>[]) {}
}

export const Menu = {
  buildFromTemplate: vi.fn((template: Record<string, unknown>[]) => new FakeMenu(template)),
  setApplicationMenu: vi.fn(),
};

/** A tray icon: what it was given (image, menu, tooltip), the events it listens to, and whether it was destroyed. */
export class Tray extends EventEmitter {
  static created: Tray[] = [];
  image: unknown;
  contextMenu: FakeMenu | null = null;
  toolTip = '';
  destroyed = false;
  popUps = 0;
  constructor(image: unknown) {
    super();
    this.image = image;
    Tray.created.push(this);
  }
  setImage(image: unknown) {
    this.image = image;
  }
  setContextMenu(menu: FakeMenu | null) {
    this.contextMenu = menu;
  }
  setToolTip(toolTip: string) {
    this.toolTip = toolTip;
  }
  popUpContextMenu() {
    this.popUps += 1;
  }
  destroy() {
    this.destroyed = true;
  }
  isDestroyed() {
    return this.destroyed;
  }
}

/** The system clipboard (asynchronous, as Electron's is): `text` is what it holds; every read is counted by the vi.fn. */
export const clipboard = {
  text: '',
  readText: vi.fn(async () => clipboard.text),
  writeText: vi.fn(async (text: string) => {
    clipboard.text = text;
  }),
};

export default {
  nativeImage,
  Menu,
  Tray,
  clipboard,
  app,
  protocol,
  session,
  shell,
  Notification,
  ipcMain,
  webContents,
  nativeTheme,
  dialog,
  BrowserWindow,
  contextBridge,
  ipcRenderer,
};
