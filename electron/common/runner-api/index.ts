export * from './base';
export * from './jobs';
export * from './oauth';
export * from './routes';
export * from './tokens';
