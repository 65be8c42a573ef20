package api_test

var scimOperations = []operation{}
