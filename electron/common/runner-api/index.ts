export * from './base';
export * from './environments';
export * from './jobs';
export * from './oauth';
export * from './routes';
export * from './tokens';
