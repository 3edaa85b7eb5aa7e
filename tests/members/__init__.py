"""The no-silent-drops table: for every served operation, how each member of its input is
treated. One module per service or resource family, each with ``ROWS``; the walker in
``tests/test_members.py`` checks the table against botocore's models and the server.
``rows`` holds the kinds of row, ``walk`` reads the table and the tests rows name,
``values`` makes request values from botocore's shapes."""
