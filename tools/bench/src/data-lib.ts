// The data package, through its workspace link.
export * from '@myelin/data';
