"""The command line: one module per command group; each parses arguments, calls the core and
hands the result to a renderer. Heavy modules are imported inside the commands so that
``qa --help`` stays fast."""
