/** `images`: the images the project's containers were created from (not `image ls`, the engine's list). */
import { describe } from '../../command-descriptor';
import { imagesFlagTable } from '../registry-verb-flag-tables';

export const imagesCommand = describe({
  id: 'images',
  summary: 'List images used by the created containers',
  description:
    "The image of each of the project's containers, stopped ones too, found by their labels, so a " +
    "project's name (-p) is enough where no compose file is around.",
  usage: 'images [OPTIONS] [SERVICE...]',
  examples: [
    '<%= config.bin %> images',
    '<%= config.bin %> -p demo images --format json',
    '<%= config.bin %> images -q web',
  ],
  flags: imagesFlagTable,
  operands: { count: 'any', name: 'service', description: 'Services whose images to list' },
  async run(flags, operands) {
    const { showImages } = require('../images') as typeof import('../images');
    return showImages(flags, operands);
  },
});
