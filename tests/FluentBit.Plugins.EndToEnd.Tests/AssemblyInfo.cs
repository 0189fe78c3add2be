using Xunit;

// The tests load plugins into this process and bind ports: run them one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
