"""Request headers of the API's contract, shared by the schema that documents them and the code that reads them."""

# A POST sent again with the same key gets the first answer instead of a duplicate (the `idempotency` app).
IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENCY_KEY_MAX_LENGTH = 255
