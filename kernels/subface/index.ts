/**
 * SubFace: margin-softmax face recognition with subspace softmax
 * approximation, on TensorFlow.js. This file is the library's only public
 * surface; notebooks import it as `import * as sf from 'subface'`.
 */
export * from './runtime';
export * from './losses';
export * from './data';
export * from './eval';
export * from './backbones';
export * from './train';
export * from './report';
export * from './display';
export * as show from './display/show';
