"""Running: paths in, written outputs and an exit code out: the batch runner (serial or worker
processes), the Dask engine and the demo, shared by the CLI so it only parses arguments."""
