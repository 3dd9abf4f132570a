export * from './contract';
export * from './schemas';
export * from './client';
export * from './hosts';
