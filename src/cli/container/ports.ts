/** What `container port` prints, from the contract's port grammar (the engine reads the same). */
export { portLines } from '../../engine-api/container/ports';
