/**
 * The closed vocabulary of codes Corridor gives machines: every reject code stored in `rejects`,
 * every warning code stored in `load_files.warnings`, and every code a failed file, run or
 * command ends with (`load_files.error_code`, `--json` output, alerts). Tools and analysts
 * filter on these, so a code never changes meaning once released; a new one is added here first.
 * `corridor docs --codes` lists them, and docs/error-codes.md is generated from this table
 * (test/error-codes.test.ts keeps both in step and fails on a code used but not declared).
 */
import type { ExitCode } from './errors.ts';

/**
 * What the code stops: `row` one rejected row (the file loads the rest); `warning` nothing, the
 * file loads with a note; `file` one file (the run goes on to the next); `run` the run or
 * command; `usage` nothing was done because an argument, option or file of settings is wrong.
 */
export type ErrorKind = 'row' | 'warning' | 'file' | 'run' | 'usage';

export interface ErrorCodeEntry {
  readonly kind: ErrorKind;
  /** The exit code of the CLI when this is the outcome; null when it alone does not end the run. */
  readonly exit: ExitCode | null;
  /** Some codes are also raised in another role, such as `unknown_port` for a bad argument. */
  readonly alsoAs?: ErrorKind;
  readonly meaning: string;
  readonly fix: string;
}

const USAGE = 2;
const FAILED = 1;

export const ERROR_CODES = {
  // Rows: a rejected row, stored in `rejects`; the rest of the file loads.
  missing_value: {
    kind: 'row',
    exit: null,
    meaning: 'A required cell is empty.',
    fix: 'Fill the cell in the source file, or load the publisher’s complete edition.',
  },
  bad_number: {
    kind: 'row',
    exit: null,
    meaning: 'A cell that must hold a number does not.',
    fix: 'Correct the cell; a footnote mark or a text placeholder in a figure column is the usual cause.',
  },
  negative_value: {
    kind: 'row',
    exit: null,
    meaning: 'A value, weight or quantity is below zero.',
    fix: 'Correct the figure in the source; trade values and port volumes are never negative.',
  },
  bad_hs_code: {
    kind: 'row',
    exit: null,
    alsoAs: 'file',
    meaning:
      'The commodity code is not an HS code of 2, 4 or 6 digits, nor TOTAL (as a file error: a correlation table holds a code that is not a 6-digit HS code).',
    fix: 'Correct the code, keeping its leading zeros (format the column as text in the spreadsheet).',
  },
  unknown_hs_code: {
    kind: 'row',
    exit: null,
    meaning: 'The commodity code is well formed but not in the classification the file uses.',
    fix: 'Check the HS edition of the file (--edition), or add the correlation table of a newer edition.',
  },
  unknown_edition: {
    kind: 'row',
    exit: null,
    alsoAs: 'usage',
    meaning:
      'The HS edition is not one of H0 to H6 (as a usage error: --target-edition or a correlation table names no known edition).',
    fix: 'Write the edition as H0 to H6 (HS 2017 is H5, HS 2022 is H6).',
  },
  unknown_country: {
    kind: 'row',
    exit: null,
    alsoAs: 'usage',
    meaning:
      'A reporter or partner code or name is not in the country reference (as a usage error: a port’s country is no ISO alpha-3 code).',
    fix: 'Correct the code or name, or add the name as an alias in warehouse/reference and reload.',
  },
  inconsistent_country: {
    kind: 'row',
    exit: null,
    alsoAs: 'file',
    meaning:
      'A row’s numeric area code and its ISO code name different countries (as a file error: a BACI country list maps two codes to one country, or contradicts the warehouse).',
    fix: 'Correct the country columns, or the BACI country_codes file, and load again.',
  },
  bad_flow: {
    kind: 'row',
    exit: null,
    meaning: 'The trade flow is not one of the Comtrade flow codes.',
    fix: 'Write the flow as a Comtrade flow code (X, M, RX, RM, DX, FM, MIP, MOP, XIP, XOP), or declare it with --flow.',
  },
  bad_period: {
    kind: 'row',
    exit: null,
    alsoAs: 'usage',
    meaning:
      'The period or year is not a valid year or month (as a usage error: --from/--to or a period range is not a period, runs backwards or lies in the future).',
    fix: 'Write the period as a year (2019) or a month (2019-03).',
  },
  bad_boolean: {
    kind: 'row',
    exit: null,
    meaning: 'A flag is not true/false.',
    fix: 'Write the flag as true or false (or 1 and 0).',
  },
  unsupported_classification: {
    kind: 'row',
    exit: null,
    meaning: 'The row is classified in SITC or BEC, not HS.',
    fix: 'Download the data classified in HS; Corridor keeps HS only.',
  },
  wrong_field_count: {
    kind: 'row',
    exit: null,
    meaning: 'The row has a different number of fields than the header.',
    fix: 'Check the delimiter and quoting of the row; an unquoted comma inside a name is the usual cause.',
  },
  duplicate_key: {
    kind: 'row',
    exit: null,
    meaning: 'The same flow appears twice in one file; the first is kept.',
    fix: 'Remove the repeated row, or check that the file does not join two extracts.',
  },
  unknown_port: {
    kind: 'row',
    exit: null,
    alsoAs: 'usage',
    meaning:
      'A port is neither a known UN/LOCODE nor a name or alias of one (as a usage error: a port named in an argument or a pipeline is unknown).',
    fix: 'Add the port (corridor ports add) or an alias (corridor ports alias), then load again.',
  },
  bad_direction: {
    kind: 'row',
    exit: null,
    meaning:
      'A port figure’s direction (import, export, transit, transshipment, total) or cargo group is not one Corridor knows.',
    fix: 'Write the direction as one of import, export, transit, transshipment or total, and a cargo group Corridor lists.',
  },
  unknown_unit: {
    kind: 'row',
    exit: null,
    alsoAs: 'file',
    meaning:
      'A port figure is in a unit port_throughput does not keep (as a file error: a table’s stated unit has a qualifier or currency Corridor does not read).',
    fix: 'Give figures in t, TEU, boxes or calls, or declare the unit with --unit.',
  },

  // Warnings: the file loads, with a note in load_files.
  aggregate_mismatch: {
    kind: 'warning',
    exit: null,
    meaning: 'A total row of a laid-out table differs from the sum of the rows it totals.',
    fix: 'Check the figures with the publisher; the rows load as printed and the finding is kept.',
  },
  ytd_decrease: {
    kind: 'warning',
    exit: null,
    meaning: 'A year-to-date figure is smaller than the one before it, so its month comes out negative.',
    fix: 'Check the table for a revision or a misprint; the month is loaded as computed.',
  },

  // Files: this file fails, nothing of it loads, the run goes on to the next file.
  ambiguous_sheets: {
    kind: 'file',
    exit: FAILED,
    meaning: 'Two sheets of a workbook both hold the table a one-sheet layout reads.',
    fix: 'Set the layout’s sheets option (sheets: { every: true } or the sheet’s name).',
  },
  bad_companion: {
    kind: 'file',
    exit: FAILED,
    meaning: 'The product list that comes with a BACI release lists no product codes.',
    fix: 'Download the BACI release again, with its product_codes file.',
  },
  bad_gzip: {
    kind: 'file',
    exit: FAILED,
    meaning: 'The file looks gzip-compressed but cannot be decompressed.',
    fix: 'Download the file again.',
  },
  bad_json: {
    kind: 'file',
    exit: FAILED,
    meaning: 'The file is not valid JSON, or not an array of records.',
    fix: 'Download it again; a cut-off reply is the usual cause.',
  },
  bad_relationship: {
    kind: 'file',
    exit: FAILED,
    meaning: 'A correlation table’s relationship is not 1:1, 1:n, n:1 or n:n.',
    fix: 'Correct the relationship column, or download the UN correlation table again.',
  },
  bad_xls: {
    kind: 'file',
    exit: FAILED,
    meaning: 'A legacy Excel workbook (.xls) cannot be read.',
    fix: 'Open it in Excel and save it again as .xlsx or CSV UTF-8.',
  },
  bad_xlsx: {
    kind: 'file',
    exit: FAILED,
    meaning: 'A ZIP archive is not a readable Excel workbook.',
    fix: 'Open it in Excel and save it again as .xlsx, or unzip it if it holds CSV files.',
  },
  binary_file: {
    kind: 'file',
    exit: FAILED,
    meaning: 'The file is binary (or compressed twice), not CSV or JSON text.',
    fix: 'Give the file its right extension, or decompress or convert it to CSV first.',
  },
  count_mismatch: {
    kind: 'file',
    exit: FAILED,
    meaning: 'The figures read do not add up to those stored plus those rejected, so nothing was kept.',
    fix: 'Report it as a bug with the file; the file was rolled back.',
  },
  declaration_contradicts_file: {
    kind: 'file',
    exit: FAILED,
    meaning: 'A declared flow, unit or period contradicts what the file itself says.',
    fix: 'Drop the declaration, or add --override to take it over the file’s word.',
  },
  duplicate_period_columns: {
    kind: 'file',
    exit: FAILED,
    meaning: 'Two columns of a table read as the same period.',
    fix: 'Keep one of the columns, or tell them apart in the layout.',
  },
  edition_not_applicable: {
    kind: 'file',
    exit: FAILED,
    meaning: '--edition was given for a source whose classification is not HS alone.',
    fix: 'Drop --edition (edition: in the pipeline) for this source.',
  },
  empty_file: {
    kind: 'file',
    exit: FAILED,
    meaning: 'The file, or its first visible sheet, has no data rows.',
    fix: 'Check that the download or export finished, and that the table is on the first sheet.',
  },
  fact_not_stated: {
    kind: 'file',
    exit: FAILED,
    meaning: 'A laid-out table does not say its flow, unit or period anywhere Corridor looked.',
    fix: 'Declare it with --flow, --unit or --period (or in the pipeline’s declare).',
  },
  facts_contradict: {
    kind: 'file',
    exit: FAILED,
    meaning: 'A laid-out table says two different things about its flow, unit or period.',
    fix: 'Declare which one holds with --flow, --unit or --period.',
  },
  header_too_short: {
    kind: 'file',
    exit: FAILED,
    meaning: 'The row after the header reads as more header, so the header found is incomplete.',
    fix: 'Check that the file is the table this source reads, or adjust the layout’s header rows.',
  },
  hs_edition_contradicted: {
    kind: 'file',
    exit: FAILED,
    meaning: 'The HS edition the file states differs from the one declared with --edition.',
    fix: 'Drop --edition, or correct it to the edition the file states.',
  },
  internal_error: {
    kind: 'file',
    exit: FAILED,
    meaning: 'Loading the file failed for a reason Corridor did not expect; nothing of it was loaded.',
    fix: 'Report it as a bug with the file (run with CORRIDOR_DEBUG=1 for the stack).',
  },
  missing_column: {
    kind: 'file',
    exit: FAILED,
    meaning: 'A column the source needs is missing from the file’s header.',
    fix: 'Check that the file is the extract this source reads, with all its columns.',
  },
  missing_context: {
    kind: 'file',
    exit: FAILED,
    meaning: 'A field a laid-out table needs could not be read from its titles or sheet.',
    fix: 'Check that the file is the table this source reads, or declare the field.',
  },
  no_correlation_sheet: {
    kind: 'file',
    exit: FAILED,
    meaning: 'No sheet of a correlation workbook has a header of two HS editions and a Relationship column.',
    fix: 'Check that it is a UN HS correlation table.',
  },
  not_a_workbook: {
    kind: 'file',
    exit: FAILED,
    meaning: 'A correlation table is not an Excel workbook (.xlsx or .xls).',
    fix: 'Download the UN correlation table as .xlsx.',
  },
  not_csv: {
    kind: 'file',
    exit: FAILED,
    meaning: 'The file is an HTML or XML page, not CSV or JSON.',
    fix: 'Open it to see what the server said (often an error or login page), then download it again.',
  },
  not_hs_editions: {
    kind: 'file',
    exit: FAILED,
    meaning: 'A correlation table links an HS edition to another classification.',
    fix: 'Use the UN’s table between two HS editions.',
  },
  not_trade_data: {
    kind: 'file',
    exit: FAILED,
    meaning: 'The file is a Comtrade reference list, listing or count, not trade records.',
    fix: 'Download the trade data itself and load that.',
  },
  api_refused: {
    kind: 'file',
    exit: FAILED,
    meaning: 'The file is the legacy Comtrade API’s refusal of the query, not data.',
    fix: 'Correct the query (or wait out a usage limit) and download it again.',
  },
  partial_period: {
    kind: 'file',
    exit: FAILED,
    meaning: 'The table covers part of a year, and this source loads whole years only.',
    fix: 'Load the publisher’s full-year table.',
  },
  read_failed: {
    kind: 'file',
    exit: FAILED,
    meaning: 'The file could not be read to the end.',
    fix: 'Check the disk or the copy, and download the file again.',
  },
  table_not_found: {
    kind: 'file',
    exit: FAILED,
    meaning: 'No sheet or header row holds the table the source reads.',
    fix: 'Check that the file is the table this source reads, and the layout’s sheets option.',
  },
  unclear_period: {
    kind: 'file',
    exit: FAILED,
    meaning: 'A table’s title names a period Corridor cannot place.',
    fix: 'Declare the period with --period.',
  },
  unexpected_unit: {
    kind: 'file',
    exit: FAILED,
    meaning: 'A column is in a unit of another kind than the figure it feeds (tonnes for a value).',
    fix: 'Check the column binding of the layout, or the file’s unit row.',
  },
  unsupported_currency: {
    kind: 'file',
    exit: FAILED,
    alsoAs: 'usage',
    meaning: 'The figures (or a declared --unit) are in a currency other than US dollars.',
    fix: 'Load the publisher’s US-dollar edition of the table.',
  },
  warehouse_busy: {
    kind: 'file',
    exit: FAILED,
    meaning: 'Another load held the warehouse’s write lock for more than 5 s, so this file was not loaded.',
    fix: 'Run again when the other load has finished.',
  },
  file_not_readable: {
    kind: 'file',
    exit: USAGE,
    meaning: 'The file cannot be read (permission denied or an I/O error).',
    fix: 'Give this user read access (chmod +r), or check the disk.',
  },
  // issue 20
  archive_too_large: {
    kind: 'file',
    exit: FAILED,
    meaning: 'An archive (.xlsx or .zip) inflates past the size limit for an entry or for the whole archive.',
    fix: 'Check that the file is what it should be; for a real file this large, raise the archive limit.',
  },
  // issue 20
  archive_ratio_exceeded: {
    kind: 'file',
    exit: FAILED,
    meaning: 'An archive entry inflates more per compressed byte than the ratio limit allows (a zip bomb).',
    fix: 'Do not load the file; if it is genuine, raise the ratio limit.',
  },
  // issue 20
  archive_too_many_entries: {
    kind: 'file',
    exit: FAILED,
    meaning: 'An archive holds more entries than the limit allows.',
    fix: 'Check the file; if it is genuine, raise the entries limit.',
  },
  // issue 20
  value_too_long: {
    kind: 'file',
    exit: 1,
    meaning: 'A JSON file holds a value longer than any record of figures (1 Mi characters by default).',
    fix: 'Check the file: it is damaged or not a reply of records; if the value is genuine, set CORRIDOR_MAX_LINE_CHARS higher.',
  },
  line_too_long: {
    kind: 'file',
    exit: 1,
    meaning: 'A line of a text file is longer than any table of figures holds (1 Mi characters by default).',
    fix: 'Check the file: it is damaged or not a table; if the line is genuine, set CORRIDOR_MAX_LINE_CHARS higher.',
  },
  damaged_file: {
    kind: 'file',
    exit: FAILED,
    meaning:
      'The file looks damaged (a bad checksum, a broken structure, a NUL byte in text) at the place named.',
    fix: 'Download or export the file again.',
  },
  // issue 20
  truncated_file: {
    kind: 'file',
    exit: FAILED,
    meaning: 'The file ends early: inside a quoted field, a row short of its columns, or JSON cut off.',
    fix: 'Download or export the file again, to the end.',
  },
  bad_encoding: {
    kind: 'file',
    exit: FAILED,
    meaning: 'The file is not valid text in its encoding (a byte is part of no UTF-8 character).',
    fix: 'Name its encoding with --encoding latin1 if it is Latin-1, or save it as CSV UTF-8, or download it again.',
  },

  // Downloads: the file is not fetched, the run goes on.
  bad_url: {
    kind: 'file',
    exit: FAILED,
    alsoAs: 'usage',
    meaning: 'A URL to download is not a valid http: or https: URL.',
    fix: 'Write the URL in full (https://…), or download the file yourself and name the local file.',
  },
  http_not_found: {
    kind: 'file',
    exit: FAILED,
    meaning: 'The server answered 404 or 410: nothing is published at that URL.',
    fix: 'Open the URL in a browser and correct it, or wait until the period is published.',
  },
  http_error: {
    kind: 'file',
    exit: FAILED,
    meaning: 'The server refused the request (a 4xx such as 401 or 403, or a status Corridor cannot use).',
    fix: 'Check the URL, its query parameters and the API key in the pipeline’s fetch.headers.',
  },
  http_server_error: {
    kind: 'file',
    exit: FAILED,
    meaning: 'The server answered 5xx on every attempt.',
    fix: 'Try again later, or allow more with fetch.retries and fetch.maxBackoffSeconds.',
  },
  http_rate_limited: {
    kind: 'file',
    exit: FAILED,
    meaning: 'The server answered 429 (too many requests) on every attempt.',
    fix: 'Run the pipeline less often, or raise fetch.retries and fetch.maxBackoffSeconds.',
  },
  fetch_timeout: {
    kind: 'file',
    exit: FAILED,
    meaning: 'The server sent no response, or stopped sending the body, for longer than the time limit.',
    fix: 'Try later, or raise the fetch time limit.',
  },
  network_error: {
    kind: 'file',
    exit: FAILED,
    meaning: 'The server could not be reached (DNS failure, connection refused or reset).',
    fix: 'Check the host name, the network connection and any proxy or firewall.',
  },
  fetch_truncated: {
    kind: 'file',
    exit: FAILED,
    meaning: 'The connection ended before the body did, on every attempt; nothing was kept.',
    fix: 'Try again later; if it persists, the server or a proxy is cutting the download.',
  },
  fetch_too_large: {
    kind: 'file',
    exit: FAILED,
    meaning: 'The body is larger than the download size limit.',
    fix: 'Raise the pipeline’s fetch size limit if the file is genuine, or narrow the query.',
  },
  fetch_aborted: {
    kind: 'file',
    exit: FAILED,
    meaning: 'The download was cancelled (the run was stopped); no partial file was kept.',
    fix: 'Run it again.',
  },
  fetch_failed: {
    kind: 'file',
    exit: FAILED,
    meaning: 'A download failed for a reason other than the fetch codes above.',
    fix: 'Read the message; check the URL and the landing folder, and run again.',
  },
  not_landed: {
    kind: 'file',
    exit: FAILED,
    meaning: 'With --offline, a file to load has no copy in the landing area.',
    fix: 'Run once without --offline to download it.',
  },
  landing_write_failed: {
    kind: 'file',
    exit: FAILED,
    meaning: 'A download could not be written into the landing folder.',
    fix: 'Check the free disk space and the folder’s permissions.',
  },

  // Runs: the run or the command fails.
  check_failed: {
    kind: 'run',
    exit: FAILED,
    meaning: 'A data-quality check could not run; none of its findings changed.',
    fix: 'Fix the cause (a table changed by hand?) and run corridor check again.',
  },
  connection_lost: {
    kind: 'run',
    exit: FAILED,
    meaning:
      'The connection to the PostgreSQL warehouse dropped during a command; the server rolled back the transaction in flight, and its advisory lock went with it.',
    fix: 'Run the command again once the server is back; a nightly run retries the connection itself (CORRIDOR_PG_RETRIES).',
  },
  database_unreachable: {
    kind: 'run',
    exit: FAILED,
    meaning:
      'The PostgreSQL server of the --db URL cannot be reached (down, wrong host or port), after any retries.',
    fix: 'Start the server or correct the host and port; pg_isready -d URL tells whether it answers.',
  },
  derive_failed: {
    kind: 'run',
    exit: FAILED,
    meaning: 'Refreshing the derived indicator tables failed; every indicator table is as it was.',
    fix: 'Fix the cause (a view or reference table changed by hand?) and run corridor derive again.',
  },
  export_closed: {
    kind: 'run',
    exit: FAILED,
    meaning: 'An export writer was used after it was finished or aborted.',
    fix: 'Report it as a bug; run the export again.',
  },
  export_no_columns: {
    kind: 'run',
    exit: FAILED,
    meaning: 'An export has no columns to write.',
    fix: 'Select at least one column.',
  },
  export_not_writable: {
    kind: 'run',
    exit: FAILED,
    meaning: 'The export file cannot be created.',
    fix: 'Choose a path in a folder you can write to.',
  },
  export_row_width: {
    kind: 'run',
    exit: FAILED,
    meaning: 'A row given to the Parquet writer has a different number of values than columns.',
    fix: 'Report it as a bug; the export stage must give one value per column.',
  },
  export_stopped: {
    kind: 'run',
    exit: FAILED,
    meaning: 'The export was stopped before it finished; nothing was written.',
    fix: 'Run the export again.',
  },
  export_type_mismatch: {
    kind: 'run',
    exit: FAILED,
    meaning: 'A value does not fit the Parquet type of its column.',
    fix: 'Cast the column in the --query, or report it as a bug for a table export.',
  },
  export_write_failed: {
    kind: 'run',
    exit: FAILED,
    meaning: 'Writing the export file failed midway.',
    fix: 'Check the free disk space and the folder, and export again.',
  },
  invalid_row_group_size: {
    kind: 'run',
    exit: FAILED,
    meaning: 'The Parquet row group size is not a positive whole number.',
    fix: 'Give a row group size of 1 or more rows.',
  },
  sdmx_bad_action: {
    kind: 'run',
    exit: FAILED,
    meaning: 'A changes export asks SDMX-CSV for an action other than merge or delete.',
    fix: 'Report it as a bug.',
  },
  sdmx_bad_period: {
    kind: 'run',
    exit: FAILED,
    meaning: 'A period is not a year, month or fiscal year, so it has no SDMX TIME_PERIOD.',
    fix: 'Export in another format, or correct the period in the warehouse.',
  },
  sdmx_missing_column: {
    kind: 'run',
    exit: FAILED,
    meaning: 'The columns chosen lack a key column or measure SDMX-CSV needs.',
    fix: 'Include the key columns and at least one measure.',
  },
  sdmx_unknown_fiscal_year: {
    kind: 'run',
    exit: FAILED,
    meaning: 'A fiscal year cannot be placed in time: its port has no known fiscal-year start.',
    fix: 'Set the port’s fiscal-year start (corridor ports add --fiscal-year-start).',
  },
  sdmx_unsupported: {
    kind: 'run',
    exit: FAILED,
    meaning: 'SDMX-CSV is asked for a table or query it has no layout for.',
    fix: 'Export trade_flows, port_throughput or an indicator table, or choose another format.',
  },
  sdmx_wildcard_delete: {
    kind: 'run',
    exit: FAILED,
    meaning: 'A deleted figure has an empty dimension, which SDMX-CSV would read as a wildcard.',
    fix: 'Export the full table instead of the changes.',
  },
  revert_failed: {
    kind: 'run',
    exit: FAILED,
    meaning: 'Reverting a load failed; the warehouse was rolled back to before the revert.',
    fix: 'Read the message, fix the cause and run the revert again.',
  },
  migration_failed: {
    kind: 'run',
    exit: FAILED,
    meaning: 'A migration of the warehouse failed; it was left at the previous migration.',
    fix: 'Read the message; restore a backup or report it as a bug.',
  },
  warehouse_error: {
    kind: 'run',
    exit: FAILED,
    meaning: 'The warehouse cannot be opened, migrated or written.',
    fix: 'Read the message; check the path, its permissions and the free disk space.',
  },
  warehouse_unreadable: {
    kind: 'run',
    exit: FAILED,
    meaning: 'The warehouse file exists but cannot be opened.',
    fix: 'Check the path and its permissions.',
  },
  warehouse_outdated: {
    kind: 'run',
    exit: FAILED,
    meaning: 'The warehouse keeps no versions yet, so it cannot tell what changed since a run.',
    fix: 'Upgrade it with corridor init --db <path> (or any load), then export.',
  },
  reference_cache: {
    kind: 'run',
    exit: FAILED,
    meaning: 'The HS reference cache cannot be written in the temp folder or beside the warehouse.',
    fix: 'Make one of them writable.',
  },
  reference_conflict: {
    kind: 'run',
    exit: FAILED,
    meaning: 'A new country or port reference drops an entry that loaded rows or aliases use.',
    fix: 'Put the entry back in warehouse/reference; the reference was not changed.',
  },
  reference_malformed: {
    kind: 'run',
    exit: FAILED,
    meaning: 'A reference file (countries, ports, HS codes) has a bad row.',
    fix: 'Correct the row named in the message in warehouse/reference.',
  },
  reference_missing: {
    kind: 'run',
    exit: FAILED,
    meaning: 'A reference file that ships with Corridor is missing.',
    fix: 'Reinstall Corridor.',
  },
  landing_not_writable: {
    kind: 'run',
    exit: USAGE,
    meaning: 'Downloads cannot be written into the landing folder.',
    fix: 'Make the folder writable by this user, or point the pipeline’s landing folder elsewhere.',
  },
  lock_held: {
    kind: 'run',
    exit: 4,
    meaning: 'Another run of the same pipeline holds its lock; nothing was done.',
    fix: 'Wait for the other run to finish, or check corridor runs for one that died.',
  },
  // issue 20
  query_timeout: {
    kind: 'run',
    exit: FAILED,
    meaning: 'A query of corridor sql or export --query ran past its time limit and was stopped.',
    fix: 'Give it more time with --timeout <seconds>, or make it cheaper (a WHERE on indexed columns, a recursive CTE that ends).',
  },
  // issue 20
  query_stopped: {
    kind: 'run',
    exit: 130,
    meaning: 'A query was stopped by SIGINT (exit 130) or SIGTERM (exit 143).',
    fix: 'Run it again.',
  },
  // issue 20
  query_failed: {
    kind: 'run',
    exit: FAILED,
    meaning: 'The process running a query ended without an answer (it crashed or ran out of memory).',
    fix: 'Make the query cheaper, or report it as a bug with the query.',
  },
  // issue 20
  interrupted: {
    kind: 'run',
    exit: 130,
    meaning:
      'The run was stopped by SIGINT (exit 130) or SIGTERM (exit 143); the file in flight was rolled back.',
    fix: 'Run it again; files loaded before the stop are kept.',
  },

  // Usage: an argument, option or settings file is wrong; nothing was done.
  alias_taken: {
    kind: 'usage',
    exit: USAGE,
    meaning: 'An alias is a UN/LOCODE or already names another port.',
    fix: 'Choose another alias, or replace the existing one explicitly.',
  },
  bad_arguments: {
    kind: 'usage',
    exit: USAGE,
    meaning: 'A command was given arguments or options it does not take, or values it cannot use.',
    fix: 'Read the usage line in the message (or corridor <command> --help) and correct the command.',
  },
  bad_as_of: {
    kind: 'usage',
    exit: USAGE,
    meaning: 'The --as-of of a query is not a run or time the warehouse can go back to.',
    fix: 'Give a run id or date the warehouse holds (corridor runs lists them).',
  },
  bad_data_package: {
    kind: 'usage',
    exit: USAGE,
    meaning: 'The export folder holds a datapackage.json Corridor cannot add to.',
    fix: 'Move it away, or export into another folder.',
  },
  bad_declaration: {
    kind: 'usage',
    exit: USAGE,
    meaning: 'A --flow, --unit, --period or --override declaration does not apply or cannot be read.',
    fix: 'Correct or drop the declaration, as the message says.',
  },
  bad_limit: {
    kind: 'usage',
    exit: USAGE,
    meaning: 'An archive limit set in the environment is not a positive number.',
    fix: 'Set the variable to a positive number, or unset it for the default.',
  },
  bad_locode: {
    kind: 'usage',
    exit: USAGE,
    meaning: 'A UN/LOCODE is not 2 letters of an ISO country and 3 letters or digits of place.',
    fix: 'Write the code as PKKHI (Karachi) or BRPNG (Paranaguá).',
  },
  bad_pipeline: {
    kind: 'usage',
    exit: USAGE,
    meaning: 'A pipeline file does not load, is invalid, or names itself otherwise than its file.',
    fix: 'Fix the file as the message says; every key is documented in src/pipeline/define-pipeline.ts.',
  },
  bad_port_file: {
    kind: 'usage',
    exit: USAGE,
    meaning: 'A ports file to import is not valid CSV or lacks its columns.',
    fix: 'Give it the columns type,locode,name,… (corridor ports export writes one).',
  },
  bad_query: {
    kind: 'usage',
    exit: USAGE,
    meaning: 'The SQL of corridor sql or export --query does not run or returns no rows.',
    fix: 'Check the SQL (SQLite dialect), the table names and the values it works on.',
  },
  bad_replace_scope: {
    kind: 'usage',
    exit: USAGE,
    meaning: 'The --replace-scope names something that is not a dimension of the table.',
    fix: 'Name dimensions of the target table only.',
  },
  cannot_revert: {
    kind: 'usage',
    exit: USAGE,
    meaning: 'The load asked for cannot be reverted (no such load, or it was already reverted).',
    fix: 'Pick a load from corridor runs --files.',
  },
  config_error: {
    kind: 'usage',
    exit: USAGE,
    meaning: 'A setting or option is wrong.',
    fix: 'Correct the setting named in the message.',
  },
  country_mismatch: {
    kind: 'usage',
    exit: USAGE,
    meaning: 'A UN/LOCODE begins with another country’s code than the country given.',
    fix: 'Correct the LOCODE or the country.',
  },
  file_not_found: {
    kind: 'usage',
    exit: USAGE,
    meaning: 'A file named does not exist.',
    fix: 'Check the path and the working folder.',
  },
  file_not_writable: {
    kind: 'usage',
    exit: USAGE,
    meaning: 'An output file cannot be written.',
    fix: 'Choose a path in a folder you can write to.',
  },
  is_directory: {
    kind: 'usage',
    exit: USAGE,
    meaning: 'A path names a folder where a file is needed.',
    fix: 'Name the files inside it, or a glob such as "folder/*.csv".',
  },
  database_login_refused: {
    kind: 'usage',
    exit: USAGE,
    meaning:
      'PostgreSQL refused the login of the --db URL: wrong user or password, or pg_hba.conf does not admit the host.',
    fix: 'Correct the user and password in the URL (or set PGPASSWORD), or ask the administrator to admit the host.',
  },
  citus_missing: {
    kind: 'usage',
    exit: USAGE,
    meaning: 'corridor init --citus was run against a database without the Citus extension.',
    fix: 'Run create extension citus on the coordinator (docs/citus.md), or run corridor init without --citus.',
  },
  copy_target_not_empty: {
    kind: 'usage',
    exit: USAGE,
    meaning:
      'corridor copy was given a target warehouse that already holds data; it copies only into an empty one.',
    fix: 'Give --to a new SQLite file or a new, empty PostgreSQL database (createdb NAME).',
  },
  database_missing: {
    kind: 'usage',
    exit: USAGE,
    meaning: 'The database named in the --db URL does not exist on the PostgreSQL server.',
    fix: 'Create it (createdb NAME), then run corridor init --db URL.',
  },
  missing_environment: {
    kind: 'usage',
    exit: USAGE,
    meaning: 'A pipeline’s fetch header uses an environment variable that is not set.',
    fix: 'Set the variable for the process that runs corridor (for a scheduler, in its service file).',
  },
  name_taken: {
    kind: 'usage',
    exit: USAGE,
    meaning: 'A new port’s name already names another port.',
    fix: 'Give the port a name of its own, such as "Name (ISO3)".',
  },
  no_match: {
    kind: 'usage',
    exit: USAGE,
    meaning: 'No file matches a glob pattern.',
    fix: 'Check the pattern, or that the files have been downloaded.',
  },
  no_schedule: {
    kind: 'usage',
    exit: USAGE,
    meaning: 'corridor schedule was asked for pipelines that have no schedule.',
    fix: 'Add schedule: and timezone: to the pipeline file, or run from the project folder.',
  },
  not_a_warehouse: {
    kind: 'usage',
    exit: USAGE,
    meaning: 'The --db file is not a SQLite database, or it is damaged.',
    fix: 'Point --db at the warehouse file, or at a new path to create one.',
  },
  not_adjacent: {
    kind: 'usage',
    exit: USAGE,
    meaning: 'A correlation table links two HS editions that are not one after the other.',
    fix: 'Add the tables between adjacent editions, or name the editions with --newer and --older.',
  },
  nothing_to_retry: {
    kind: 'usage',
    exit: USAGE,
    meaning: '--only-failed was given for a pipeline that has not run yet.',
    fix: 'Run the pipeline without --only-failed.',
  },
  port_exists: {
    kind: 'usage',
    exit: USAGE,
    meaning: 'The port to add is already in the ports reference or among the ports you added.',
    fix: 'Use the existing port, or replace it explicitly.',
  },
  query_refused: {
    kind: 'usage',
    exit: USAGE,
    meaning: 'corridor sql refuses the query: it would write, or it is not one read-only statement.',
    fix: 'Give one SELECT (or a reading PRAGMA); load data with corridor load.',
  },
  sdmx_invalid_id: {
    kind: 'usage',
    exit: USAGE,
    meaning: 'An SDMX agency, dataflow id or version option is not a valid SDMX id.',
    fix: 'Use letters, digits and underscores (a version as 1.0.0).',
  },
  unknown_pipeline: {
    kind: 'usage',
    exit: USAGE,
    meaning: 'No pipeline file of that name exists.',
    fix: 'Use a name listed in the message, or create pipelines/<name>.pipeline.ts.',
  },
  unknown_run: {
    kind: 'usage',
    exit: USAGE,
    meaning: 'The --since run is not in the warehouse.',
    fix: 'Pick a run from corridor runs.',
  },
  unknown_source: {
    kind: 'usage',
    exit: USAGE,
    meaning: 'No source of that name exists, or it needs a layout from a pipeline.',
    fix: 'Use a source listed in the message, or a pipeline with a table layout.',
  },
  unknown_table: {
    kind: 'usage',
    exit: USAGE,
    meaning: 'No table or view of that name is in the warehouse.',
    fix: 'Use a name the message suggests, or list them with corridor sql.',
  },
  unsupported_database: {
    kind: 'usage',
    exit: USAGE,
    meaning: 'The --db names a kind of database Corridor does not support.',
    fix: 'Use a SQLite file path or a postgres:// URL.',
  },
  unsupported_on_postgres: {
    kind: 'usage',
    exit: USAGE,
    meaning: 'A step that does not run on a PostgreSQL warehouse yet was asked of one.',
    fix: 'Run that step on a SQLite warehouse; docs/postgresql.md lists what each backend supports.',
  },
  usage: {
    kind: 'usage',
    exit: USAGE,
    meaning: 'A command was called with the wrong number of arguments.',
    fix: 'Follow the usage line in the message.',
  },
  warehouse_not_initialised: {
    kind: 'usage',
    exit: USAGE,
    meaning:
      'A --dry-run was asked of a PostgreSQL database that Corridor has not initialised (or not to this version).',
    fix: 'Run corridor init --db URL first, then the dry run.',
  },
  warehouse_missing: {
    kind: 'usage',
    exit: USAGE,
    meaning: 'There is no warehouse at the --db path.',
    fix: 'Create it with corridor init (or load a file), or point --db at an existing one.',
  },
  port_in_use: {
    kind: 'usage',
    exit: USAGE,
    meaning: 'corridor serve cannot listen on its port: another program (or another console) holds it.',
    fix: 'Choose another port with --port (--port 0 takes any free one), or stop the program that holds it.',
  },
} as const satisfies Record<string, ErrorCodeEntry>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The codes a rejected row can carry. */
export type RowIssueCode = {
  [K in ErrorCode]: (typeof ERROR_CODES)[K]['kind'] extends 'row' ? K : never;
}[ErrorCode];

export const isErrorCode = (value: string): value is ErrorCode => Object.hasOwn(ERROR_CODES, value);
