from awol.cli import main

main()
