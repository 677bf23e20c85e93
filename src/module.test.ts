import { ConfigEditor } from './components/ConfigEditor';
import { QueryEditor } from './components/QueryEditor';
import { VariableQueryEditor } from './components/VariableQueryEditor';
import { DataSource } from './datasource';
import { plugin } from './module';

describe('module', () => {
  it('registers the Headroom data source class with its config, query and variable editors', () => {
    expect(plugin.DataSourceClass).toBe(DataSource);
    expect(plugin.components).toEqual({
      ConfigEditor,
      QueryEditor,
      VariableQueryEditor,
    });
  });
});
