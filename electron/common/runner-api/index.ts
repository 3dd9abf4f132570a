export * from './base';
export * from './jobs';
export * from './routes';
export * from './tokens';
