"""What every worker process shares at run time: the worker context and job wrapper, metrics, maintenance."""
