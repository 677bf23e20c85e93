import { DataSourcePlugin } from '@grafana/data';

import { ConfigEditor } from './components/ConfigEditor';
import { QueryEditor } from './components/QueryEditor';
import { VariableQueryEditor } from './components/VariableQueryEditor';
import { DataSource } from './datasource';
import { HeadroomOptions, HeadroomQuery, HeadroomSecureJsonData } from './types';

/**
 * The Headroom data source as Grafana loads it from module.js. Template variables go through the data source's
 * `metricFindQuery`, so the variable editor is registered here and hands back its query with a one-line definition.
 */
export const plugin = new DataSourcePlugin<DataSource, HeadroomQuery, HeadroomOptions, HeadroomSecureJsonData>(
  DataSource
)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor)
  .setVariableQueryEditor(VariableQueryEditor);
