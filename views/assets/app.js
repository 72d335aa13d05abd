// data-money
