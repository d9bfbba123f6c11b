import { meshBench } from './mesh-throughput.js';
console.log(meshBench(120));
