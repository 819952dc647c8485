// The console's one script: enhancements only, every page works without it.
// Ctrl-Enter (Cmd-Enter) in the SQL editor runs the query.
for (const area of document.querySelectorAll('form[data-testid="sql-form"] textarea')) {
  area.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      area.form.requestSubmit();
    }
  });
}
