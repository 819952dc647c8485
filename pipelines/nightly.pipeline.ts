/**
 * The default nightly job, run by `npm start`: the bundled illustrative samples of
 * Pakistan–Kazakhstan trade, from both reporters (UN Comtrade layout) and from BACI. They are
 * invented figures, so they load under sources of their own (`sample-comtrade`, `sample-baci`):
 * a real extract of the same reporter and year never merges into them.
 */
import { definePipeline } from '../src/pipeline/define-pipeline.ts';

export default definePipeline({
  name: 'nightly',
  description: 'Pakistan–Kazakhstan trade samples (illustrative): Comtrade CSV and JSON, BACI',
  sources: [
    {
      source: 'sample-comtrade',
      files: ['sources/comtrade/samples/*.csv', 'sources/comtrade/samples/*.json'],
    },
    { source: 'sample-baci', files: ['sources/baci/samples/BACI_*.csv'] },
  ],
  schedule: '30 2 * * *',
  timezone: 'Asia/Karachi',
  rejectThreshold: 0.05,
});
