from shegong.cli import main

main()
