// The bundled OOM dashboard, built as code: why a container was OOM-killed while its averages looked fine. Headroom
// panels read the cluster now (pod specs, kubelet summaries, sidecar peaks); Prometheus panels read the peak sidecars'
// metrics over time. The same builder makes the copy bundled in the plugin and the copy provisioned by file.
import * as bargauge from '@grafana/grafana-foundation-sdk/bargauge';
import * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';

import { QueryType } from '../src/types';
import { HeadroomQueryBuilder } from './headroom-query';

export const HEADROOM_PLUGIN_ID = 'headroom-memory-datasource';
export const DASHBOARD_TITLE = 'Headroom: OOM and headroom';

/** Which data sources a copy of the dashboard points at. */
export interface DashboardSources {
  uid: string;
  /** Uid of the Headroom data source, or `${DS_HEADROOM}` for an importable copy. */
  headroomUid: string;
  /** The Prometheus data source picked by default in the `prometheus` variable, or `${DS_PROMETHEUS}`. */
  prometheusUid: string;
  prometheusName: string;
}

/** The copy bundled in the plugin: Grafana's importer replaces `${DS_...}` with the data sources the user picks. */
export const BUNDLED_SOURCES: DashboardSources = {
  uid: 'headroom-oom',
  headroomUid: '${DS_HEADROOM}',
  prometheusUid: '${DS_PROMETHEUS}',
  prometheusName: '${DS_PROMETHEUS}',
};

/** The copy provisioned by file, next to the data sources provisioned with uids `headroom` and `prometheus`. */
export const PROVISIONED_SOURCES: DashboardSources = {
  uid: 'headroom-oom-provisioned',
  headroomUid: 'headroom',
  prometheusUid: 'prometheus',
  prometheusName: 'Prometheus',
};

// Prometheus panels go through a data source variable: the data source's Dashboards tab imports with one wildcard
// input, which would otherwise hand the Headroom data source to `${DS_PROMETHEUS}` too; a variable of type
// `prometheus` falls back to the default Prometheus data source when its stored value is not one.
const PROMETHEUS: common.DataSourceRef = { type: 'prometheus', uid: '${prometheus}' };

const SCOPE = 'namespace=~"$namespace", pod=~"$pod", container=~"$container"';
const BY_CONTAINER = 'by (namespace, pod, container)';
const LEGEND = '{{namespace}}/{{pod}}/{{container}}';
/** Seconds after a container's start that count as its startup (the startup-peak alert uses the same 5 minutes). */
const STARTUP_SECONDS = 300;

const colors = {
  peak: 'orange',
  average: 'green',
  limit: 'red',
  anon: 'blue',
  file: 'yellow',
  kernel: 'purple',
  other: 'super-light-purple',
  allocatorLive: 'dark-green',
  allocatorResident: 'light-blue',
};

/** The dashboard for one set of data sources, as the JSON Grafana stores (without import inputs). */
export function oomDashboard(sources: DashboardSources): dashboard.Dashboard {
  const headroom: common.DataSourceRef = { type: HEADROOM_PLUGIN_ID, uid: sources.headroomUid };
  const headroomQuery = (queryType: QueryType) =>
    new HeadroomQueryBuilder(queryType, headroom).namespace('$namespace').pod('$pod').container('$container');

  const builder = new dashboard.DashboardBuilder(DASHBOARD_TITLE)
    .uid(sources.uid)
    .description(
      'Why a container is OOM-killed while its dashboards looked fine: exact peaks against the limit, what the memory ' +
        'is, startup spikes, threads, node eviction distance, a diagnosis and a sizing recommendation.'
    )
    .tags(['headroom', 'kubernetes', 'memory', 'oom'])
    .editable()
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .time({ from: 'now-1h', to: 'now' })
    .refresh('30s')
    .timezone('browser')
    .annotation(alertsAndAnnotations())
    .withVariable(prometheusVariable(sources))
    .withVariable(scopeVariable('namespace', 'Namespace', { kind: 'namespace' }, 'Namespaces', headroom))
    .withVariable(scopeVariable('pod', 'Pod', { kind: 'pod', namespace: '$namespace' }, 'Pods in $namespace', headroom))
    .withVariable(
      scopeVariable(
        'container',
        'Container',
        { kind: 'container', namespace: '$namespace' },
        'Containers in $namespace',
        headroom
      )
    )
    .annotation(
      new dashboard.AnnotationQueryBuilder()
        .name('OOM kills')
        .datasource(PROMETHEUS)
        .enable(true)
        .iconColor('red')
        .expr(`increase(headroom_memory_events_total{event="oom_kill", ${SCOPE}}[1m]) > 0`)
        .step('15s')
        .titleFormat('OOM kill')
        .textFormat(`${LEGEND}: the kernel killed a process at the memory limit`)
        .tagKeys('namespace,pod,container')
    )
    .annotation(
      new dashboard.AnnotationQueryBuilder()
        .name('Limit hits')
        .datasource(PROMETHEUS)
        .enable(true)
        .iconColor('orange')
        .expr(`increase(headroom_memory_events_total{event="max", ${SCOPE}}[1m]) > 0`)
        .step('15s')
        .titleFormat('Limit hit')
        .textFormat(`${LEGEND}: usage reached the limit and the kernel had to reclaim`)
        .tagKeys('namespace,pod,container')
    )
    .annotation(
      new dashboard.AnnotationQueryBuilder()
        .name('Terminations and restarts')
        .datasource(headroom)
        .enable(true)
        .iconColor('purple')
        .target(headroomQuery(QueryType.Containers))
    )

    .withRow(new dashboard.RowBuilder('Closest to the limit'))
    .withPanel(
      eventsStat('OOM kills', 'oom_kill', 'Processes the kernel killed at the memory limit in the time range.')
    )
    .withPanel(
      eventsStat(
        'Limit hits',
        'max',
        'Times usage reached the limit and the kernel had to reclaim; each one is a near miss or an OOM kill.'
      )
    )
    .withPanel(highestPeakStat())
    .withPanel(averageStat())
    .withPanel(peakToLimitBars())
    .withPanel(containersTable(headroomQuery(QueryType.Containers)))

    .withRow(new dashboard.RowBuilder('Peak versus average'))
    .withPanel(peakVersusAverage())
    .withPanel(headroomSeries(headroomQuery(QueryType.ContainerMemory)))

    .withRow(new dashboard.RowBuilder('What the memory is'))
    .withPanel(reservedVersusUsed())
    .withPanel(startupWindow())
    .withPanel(threads())

    .withRow(new dashboard.RowBuilder('Nodes, diagnosis and sizing'))
    .withPanel(nodesTable(new HeadroomQueryBuilder(QueryType.Nodes, headroom).namespace('$namespace')))
    .withPanel(diagnosisTable(headroomQuery(QueryType.Diagnosis)))
    .withPanel(recommendationsTable(headroomQuery(QueryType.Recommendations)));

  return numbered(withTogglesInTopBar(builder.build()));
}

/** Panel ids, unique and in reading order (the builder leaves them unset); links and the panel editor use them. */
function numbered(built: dashboard.Dashboard): dashboard.Dashboard {
  (built.panels ?? []).forEach((panel, index) => {
    panel.id = index + 1;
  });
  return built;
}

/** The builder files annotation toggles in the controls menu; the OOM kill toggle belongs in plain sight. */
function withTogglesInTopBar(built: dashboard.Dashboard): dashboard.Dashboard {
  for (const annotation of built.annotations?.list ?? []) {
    delete annotation.placement;
  }
  return built;
}

/** The target of Grafana's built-in annotation query: this dashboard's annotations and alert state changes. */
class GrafanaAnnotationTarget implements cog.Builder<cog.Dataquery> {
  build(): cog.Dataquery {
    const target = { limit: 100, matchAny: false, tags: [], type: 'dashboard', _implementsDataqueryVariant() {} };
    return target;
  }
}

/** Grafana's own annotations: alert state changes of the Headroom alert rules, and annotations people add. */
function alertsAndAnnotations(): dashboard.AnnotationQueryBuilder {
  return new dashboard.AnnotationQueryBuilder()
    .name('Annotations & Alerts')
    .builtIn(1)
    .datasource({ type: 'grafana', uid: '-- Grafana --' })
    .enable(true)
    .hide(true)
    .iconColor('rgba(0, 211, 255, 1)')
    .type('dashboard')
    .target(new GrafanaAnnotationTarget());
}

function prometheusVariable(sources: DashboardSources): dashboard.DatasourceVariableBuilder {
  return new dashboard.DatasourceVariableBuilder('prometheus')
    .label('Prometheus')
    .type('prometheus')
    .current({ selected: true, text: sources.prometheusName, value: sources.prometheusUid });
}

function scopeVariable(
  name: string,
  label: string,
  query: Record<string, string>,
  definition: string,
  datasource: common.DataSourceRef
): dashboard.QueryVariableBuilder {
  // `.*` is the "All" value: Prometheus matches any label value with it, and Headroom reads it as "any".
  return new dashboard.QueryVariableBuilder(name)
    .label(label)
    .datasource(datasource)
    .query(query)
    .definition(definition)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc)
    .includeAll(true)
    .allValue('.*')
    .current({ selected: true, text: 'All', value: '$__all' });
}

function promQuery(refId: string, expr: string, legend: string): prometheus.DataqueryBuilder {
  return new prometheus.DataqueryBuilder().datasource(PROMETHEUS).refId(refId).expr(expr).legendFormat(legend);
}

function ratioThresholds(): dashboard.ThresholdsConfigBuilder {
  return new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps([
    { value: null, color: 'green' },
    { value: 0.85, color: 'orange' },
    { value: 0.95, color: 'red' },
  ]);
}

function eventsStat(title: string, event: string, description: string): stat.PanelBuilder {
  return new stat.PanelBuilder()
    .title(title)
    .description(description)
    .datasource(PROMETHEUS)
    .withTarget(
      promQuery(
        'A',
        `sum(increase(headroom_memory_events_total{event="${event}", ${SCOPE}}[$__range]))`,
        title
      ).instant()
    )
    .decimals(0)
    .noValue('no sidecar data')
    .thresholds(
      new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps([
        { value: null, color: 'green' },
        { value: 1, color: 'red' },
      ])
    )
    .colorMode(common.BigValueColorMode.Background)
    .graphMode(common.BigValueGraphMode.None)
    .height(4)
    .span(4);
}

/** A big number: a share of the limit from one instant Prometheus query, coloured by the headroom thresholds. */
function ratioStat(title: string, description: string, expr: string, legend: string, span: number): stat.PanelBuilder {
  return new stat.PanelBuilder()
    .title(title)
    .description(description)
    .datasource(PROMETHEUS)
    .withTarget(promQuery('A', expr, legend).instant())
    .unit('percentunit')
    .decimals(1)
    .noValue('no sidecar data')
    .thresholds(ratioThresholds())
    .colorMode(common.BigValueColorMode.Background)
    .graphMode(common.BigValueGraphMode.None)
    .height(4)
    .span(span);
}

function highestPeakStat(): stat.PanelBuilder {
  return ratioStat(
    'Highest peak / limit',
    'The highest exact peak of any selected container in the time range, as a share of its limit. Spikes between ' +
      'scrapes are included: the sidecar keeps the kernel high-water mark of every window.',
    `max(max_over_time(headroom_memory_peak_bytes{${SCOPE}}[$__range]) / headroom_memory_limit_bytes{${SCOPE}})`,
    'peak / limit',
    6
  );
}

function averageStat(): stat.PanelBuilder {
  return ratioStat(
    'Same container, 5 m average / limit',
    'What a dashboard of averages shows for the same containers: the highest 5-minute average working set as a ' +
      'share of the limit. The distance to the peak beside it is the spike nobody saw.',
    `max(max_over_time(avg_over_time(headroom_memory_working_set_bytes{${SCOPE}}[5m])[$__range:1m]) / ` +
      `headroom_memory_limit_bytes{${SCOPE}})`,
    'average / limit',
    10
  );
}

function peakToLimitBars(): bargauge.PanelBuilder {
  return new bargauge.PanelBuilder()
    .title('Peak / limit by container (last hour)')
    .description(
      'Highest exact peak of each container over the last hour, against its limit. Above 100 % is possible when ' +
        'memory was charged before the limit was set.'
    )
    .datasource(PROMETHEUS)
    .withTarget(
      promQuery(
        'A',
        `sort_desc(max ${BY_CONTAINER} (max_over_time(headroom_memory_peak_bytes{${SCOPE}}[1h])) / ` +
          `max ${BY_CONTAINER} (headroom_memory_limit_bytes{${SCOPE}}))`,
        LEGEND
      ).instant()
    )
    .unit('percentunit')
    .min(0)
    .max(1)
    .thresholds(ratioThresholds())
    .displayMode(common.BarGaugeDisplayMode.Gradient)
    .orientation(common.VizOrientation.Horizontal)
    .showUnfilled(true)
    .height(10)
    .span(8);
}

/** The cell type that draws a ratio as a gauge inside a table cell. */
const GAUGE_CELL: dashboard.DynamicConfigValue = {
  id: 'custom.cellOptions',
  value: { type: common.TableCellDisplayMode.Gauge, mode: common.BarGaugeDisplayMode.Gradient },
};

function containersTable(query: HeadroomQueryBuilder): table.PanelBuilder {
  return new table.PanelBuilder()
    .datasource(query.datasource())
    .title('Containers by peak / limit (Headroom, now)')
    .description(
      'Every selected container with its limit, working set and exact peak from the sidecar, highest peak / limit ' +
        'first. Notes say why a value is missing.'
    )
    .withTarget(query)
    .withTransformation({
      id: 'organize',
      options: {
        excludeByName: {
          'Limit from': true,
          Request: true,
          Usage: true,
          RSS: true,
          'Inactive file': true,
          'QoS class': true,
          Node: true,
          'Last termination time': true,
          Started: true,
          'Lifetime peak': true,
          'Peak method': true,
          Anon: true,
          File: true,
          Kernel: true,
          'Allocator live': true,
          'Allocator resident': true,
          Threads: true,
        },
        indexByName: {},
        renameByName: {},
      },
    })
    .sortBy([new common.TableSortByFieldStateBuilder().displayName('Peak / limit').desc(true)])
    .filterable(true)
    .overrideByName('Peak / limit', [
      GAUGE_CELL,
      { id: 'max', value: 1 },
      { id: 'min', value: 0 },
      { id: 'thresholds', value: ratioThresholds().build() },
    ])
    .overrideByName('Working set / limit', [GAUGE_CELL, { id: 'max', value: 1 }, { id: 'min', value: 0 }])
    .overrideByName('OOM kills', [
      { id: 'custom.cellOptions', value: { type: common.TableCellDisplayMode.ColorText } },
      {
        id: 'thresholds',
        value: {
          mode: dashboard.ThresholdsMode.Absolute,
          steps: [
            { value: null, color: 'text' },
            { value: 1, color: 'red' },
          ],
        },
      },
    ])
    .height(10)
    .span(16);
}

function peakVersusAverage(): timeseries.PanelBuilder {
  return new timeseries.PanelBuilder()
    .title('Peak, average and limit (Prometheus)')
    .description(
      'The sidecar peak (highest value in the trailing 60 s, kernel high-water marks included) against the 5-minute ' +
        'average working set most dashboards show and the limit. The gap between the orange and green lines is the ' +
        'spike that kills the container while the average looks fine.'
    )
    .datasource(PROMETHEUS)
    .withTarget(promQuery('A', `max ${BY_CONTAINER} (headroom_memory_peak_bytes{${SCOPE}})`, `${LEGEND} peak`))
    .withTarget(
      promQuery(
        'B',
        `max ${BY_CONTAINER} (avg_over_time(headroom_memory_working_set_bytes{${SCOPE}}[5m]))`,
        `${LEGEND} 5 m average working set`
      )
    )
    .withTarget(promQuery('C', `max ${BY_CONTAINER} (headroom_memory_limit_bytes{${SCOPE}})`, `${LEGEND} limit`))
    .unit('bytes')
    .min(0)
    .lineWidth(2)
    .fillOpacity(0)
    .legend(
      new common.VizLegendOptionsBuilder()
        .displayMode(common.LegendDisplayMode.Table)
        .placement(common.LegendPlacement.Bottom)
        .showLegend(true)
        .calcs(['max', 'mean'])
    )
    .overrideByQuery('A', [{ id: 'color', value: { mode: 'fixed', fixedColor: colors.peak } }])
    .overrideByQuery('B', [{ id: 'color', value: { mode: 'fixed', fixedColor: colors.average } }])
    .overrideByQuery('C', [
      { id: 'color', value: { mode: 'fixed', fixedColor: colors.limit } },
      { id: 'custom.lineStyle', value: { fill: 'dash', dash: [10, 10] } },
    ])
    .height(10)
    .span(14);
}

function headroomSeries(query: HeadroomQueryBuilder): timeseries.PanelBuilder {
  return new timeseries.PanelBuilder()
    .datasource(query.datasource())
    .title('Window peaks versus working set (Headroom, recent windows)')
    .description(
      "Straight from the sidecars: each window's exact peak beside the working set at the window's end and the limit, " +
        'plus the kubelet sample. No Prometheus needed; covers what the sidecars keep (1 h by default).'
    )
    .withTarget(query)
    .withTransformation({
      id: 'filterFieldsByName',
      options: { include: { names: ['time', 'window peak', 'working set', 'limit'] } },
    })
    .unit('bytes')
    .min(0)
    .lineWidth(1)
    .spanNulls(true)
    .overrideByName('window peak', [{ id: 'color', value: { mode: 'fixed', fixedColor: colors.peak } }])
    .overrideByName('working set', [{ id: 'color', value: { mode: 'fixed', fixedColor: colors.average } }])
    .overrideByName('limit', [
      { id: 'color', value: { mode: 'fixed', fixedColor: colors.limit } },
      { id: 'custom.lineStyle', value: { fill: 'dash', dash: [10, 10] } },
    ])
    .height(10)
    .span(10);
}

function reservedVersusUsed(): timeseries.PanelBuilder {
  // usage = anon + file + kernel; unreclaimable = anon + the kernel memory that cannot be reclaimed.
  const series = (refId: string, expr: string, what: string) =>
    promQuery(refId, `sum ${BY_CONTAINER} (${expr})`, `${LEGEND} ${what}`);
  const sel = `{${SCOPE}}`;
  return new timeseries.PanelBuilder()
    .title('Reserved versus used')
    .description(
      'Stacked, what the charge is made of: anon (process memory the kernel cannot drop), unreclaimable kernel ' +
        'memory, file cache (reclaimed before any kill) and the rest (reclaimable kernel memory). The stack adds up to ' +
        'usage. Lines: what the allocator holds live and keeps resident, where the app reports it; the gap from live ' +
        'to resident is memory reserved and kept, not used.'
    )
    .datasource(PROMETHEUS)
    .withTarget(series('A', `headroom_memory_anon_bytes${sel}`, 'anon'))
    .withTarget(
      series(
        'B',
        `headroom_memory_unreclaimable_bytes${sel} - headroom_memory_anon_bytes${sel}`,
        'unreclaimable kernel'
      )
    )
    .withTarget(series('C', `headroom_memory_file_bytes${sel}`, 'file'))
    .withTarget(
      series(
        'D',
        `headroom_memory_usage_bytes${sel} - headroom_memory_unreclaimable_bytes${sel} - headroom_memory_file_bytes${sel}`,
        'reclaimable kernel and other'
      )
    )
    .withTarget(series('E', `headroom_memory_allocator_allocated_bytes${sel}`, 'allocator live'))
    .withTarget(series('F', `headroom_memory_allocator_resident_bytes${sel}`, 'allocator resident'))
    .withTarget(series('G', `headroom_memory_limit_bytes${sel}`, 'limit'))
    .unit('bytes')
    .min(0)
    .fillOpacity(40)
    .lineWidth(1)
    .stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal).group('memory'))
    .overrideByQuery('A', [{ id: 'color', value: { mode: 'fixed', fixedColor: colors.anon } }])
    .overrideByQuery('B', [{ id: 'color', value: { mode: 'fixed', fixedColor: colors.kernel } }])
    .overrideByQuery('C', [{ id: 'color', value: { mode: 'fixed', fixedColor: colors.file } }])
    .overrideByQuery('D', [{ id: 'color', value: { mode: 'fixed', fixedColor: colors.other } }])
    .overrideByQuery('E', [...unstackedLine(colors.allocatorLive), { id: 'custom.lineStyle', value: { fill: 'dot' } }])
    .overrideByQuery('F', [...unstackedLine(colors.allocatorResident)])
    .overrideByQuery('G', [
      ...unstackedLine(colors.limit),
      { id: 'custom.lineStyle', value: { fill: 'dash', dash: [10, 10] } },
    ])
    .height(10)
    .span(12);
}

function unstackedLine(color: string): dashboard.DynamicConfigValue[] {
  return [
    { id: 'custom.stacking', value: { mode: common.StackingMode.None, group: 'lines' } },
    { id: 'custom.fillOpacity', value: 0 },
    { id: 'custom.lineWidth', value: 2 },
    { id: 'color', value: { mode: 'fixed', fixedColor: color } },
  ];
}

function startupWindow(): timeseries.PanelBuilder {
  const started = `(time() - headroom_container_start_time_seconds{${SCOPE}})`;
  const ratio = `headroom_memory_peak_bytes{${SCOPE}} / headroom_memory_limit_bytes{${SCOPE}}`;
  return new timeseries.PanelBuilder()
    .title('Startup window: peak / limit in the first 5 minutes')
    .description(
      'Peak as a share of the limit while a container is in its first 5 minutes, next to the same ratio afterwards. ' +
        'A limit sized from the steady state is below a startup spike.'
    )
    .datasource(PROMETHEUS)
    .withTarget(
      promQuery('A', `max ${BY_CONTAINER} ((${ratio}) and ${started} < ${STARTUP_SECONDS})`, `${LEGEND} startup`)
    )
    .withTarget(
      promQuery('B', `max ${BY_CONTAINER} ((${ratio}) and ${started} >= ${STARTUP_SECONDS})`, `${LEGEND} after startup`)
    )
    .unit('percentunit')
    .min(0)
    .thresholds(ratioThresholds())
    .thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed))
    .overrideByQuery('A', [{ id: 'color', value: { mode: 'fixed', fixedColor: colors.peak } }])
    .overrideByQuery('B', [{ id: 'color', value: { mode: 'fixed', fixedColor: colors.average } }])
    .height(10)
    .span(7);
}

function threads(): timeseries.PanelBuilder {
  return new timeseries.PanelBuilder()
    .title('Threads')
    .description(
      'Threads in each container. Every busy thread can add an allocator arena and touched stack pages, so a thread ' +
        'count that follows the host core count raises the baseline.'
    )
    .datasource(PROMETHEUS)
    .withTarget(promQuery('A', `max ${BY_CONTAINER} (headroom_memory_threads{${SCOPE}})`, LEGEND))
    .decimals(0)
    .min(0)
    .height(10)
    .span(5);
}

function nodesTable(query: HeadroomQueryBuilder): table.PanelBuilder {
  return new table.PanelBuilder()
    .datasource(query.datasource())
    .title('Nodes: distance to eviction (Headroom, now)')
    .description(
      'Bytes of available memory above the kubelet hard eviction threshold, closest first: when it reaches 0 the ' +
        'kubelet evicts pods, whatever their own limits.'
    )
    .withTarget(query)
    .sortBy([new common.TableSortByFieldStateBuilder().displayName('Above eviction threshold').desc(false)])
    .overrideByName('Pods / allocatable', [GAUGE_CELL, { id: 'max', value: 1 }, { id: 'min', value: 0 }])
    .overrideByName('Memory pressure', [
      {
        id: 'mappings',
        value: [
          {
            type: dashboard.MappingType.ValueToText,
            options: { true: { text: 'yes', color: 'red' }, false: { text: 'no', color: 'green' } },
          },
        ],
      },
      { id: 'custom.cellOptions', value: { type: common.TableCellDisplayMode.ColorText } },
    ])
    .height(8)
    .span(24);
}

function diagnosisTable(query: HeadroomQueryBuilder): table.PanelBuilder {
  return new table.PanelBuilder()
    .datasource(query.datasource())
    .title('Diagnosis')
    .description(
      "Each container's main verdict (transient spike, startup spike, allocator retention, page cache, threads, " +
        'growth, ...) with its evidence, and the checklist answers.'
    )
    .withTarget(query)
    .sortBy([new common.TableSortByFieldStateBuilder().displayName('Peak / limit').desc(true)])
    .overrideByName('Severity', [
      {
        id: 'mappings',
        value: [
          {
            type: dashboard.MappingType.ValueToText,
            options: {
              critical: { color: 'red', index: 0 },
              warning: { color: 'orange', index: 1 },
              info: { color: 'blue', index: 2 },
              ok: { color: 'green', index: 3 },
            },
          },
        ],
      },
      { id: 'custom.cellOptions', value: { type: common.TableCellDisplayMode.ColorBackground } },
    ])
    .overrideByName('Evidence', [{ id: 'custom.width', value: 480 }])
    .overrideByName('Peak / limit', [GAUGE_CELL, { id: 'max', value: 1 }, { id: 'min', value: 0 }])
    .height(10)
    .span(24);
}

function recommendationsTable(query: HeadroomQueryBuilder): table.PanelBuilder {
  return new table.PanelBuilder()
    .datasource(query.datasource())
    .title('Recommendations: request and limit')
    .description(
      "Headroom's sizing beside VPA-style and KRR-style ones, and whether each would have survived the recorded peak."
    )
    .withTarget(query)
    .overrideByName('Survives the recorded peak', [
      {
        id: 'mappings',
        value: [
          { type: dashboard.MappingType.ValueToText, options: { yes: { color: 'green', index: 0 } } },
          {
            type: dashboard.MappingType.RegexToText,
            options: { pattern: '^no.*', result: { color: 'red', index: 1 } },
          },
        ],
      },
      { id: 'custom.cellOptions', value: { type: common.TableCellDisplayMode.ColorText } },
    ])
    .overrideByName('Reasoning', [{ id: 'custom.width', value: 480 }])
    .height(10)
    .span(24);
}
